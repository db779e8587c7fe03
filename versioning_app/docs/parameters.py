"""Each version's query parameters in its OpenAPI document, through drf-spectacular's extensions.

drf-spectacular asks a filter extension for the parameters of each filter backend and paginator
of a view. These extensions take head's answer (drf-spectacular's own, with its django-filter
support) and give the documented version's: its names, its types (a retyped parameter's old
field), its ordering terms as an enum, its removed parameters; head-only ones left out. They
are registered when ``apps.ready()`` imports this module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiFilterExtension
from drf_spectacular.plumbing import build_array_type, build_basic_type, build_parameter_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from versioning_app.conf import app_settings
from versioning_app.query.params import LIST_LOOKUPS, ORDERING, UNCONVERTED_LOOKUPS
from versioning_app.query.plan import Entry, QueryPlan
from versioning_app.query.translate import plan_for
from versioning_app.versions import VersionNumber

if TYPE_CHECKING:
    from drf_spectacular.openapi import AutoSchema

Parameters = list[dict[str, Any]]


def plan_of(auto_schema: AutoSchema) -> QueryPlan | None:
    """The plan of the documented view in the documented version (``None``: not versioned)."""
    view = auto_schema.view
    requested = getattr(getattr(view, "request", None), "version", None)
    try:
        number = VersionNumber.parse(str(requested))
    except ValueError:
        return None
    bundle = app_settings.versions
    if number not in bundle:
        return None
    return plan_for(bundle, type(view), number)


def versioned(parameters: Parameters, auto_schema: AutoSchema) -> Parameters:
    """Head's query ``parameters`` of a view as the documented version names and types them."""
    plan = plan_of(auto_schema)
    if plan is None or (plan.identity and plan.ordering_terms is None):
        return parameters
    by_head = {entry.head.name: entry for entry in plan.entries.values() if entry.head}
    documented: Parameters = []
    for parameter in parameters:
        name = parameter.get("name")
        if parameter.get("in") != OpenApiParameter.QUERY or not isinstance(name, str):
            documented.append(parameter)
            continue
        entry = by_head.get(name)
        if entry is None:
            if name not in plan.head_only:
                documented.append(parameter)
            continue
        documented.append(_parameter(parameter, entry, plan, auto_schema))
    for entry in plan.entries.values():
        if entry.removed is not None:
            schema = auto_schema._map_serializer_field(entry.removed.field, "request")
            documented.append(
                build_parameter_type(
                    name=entry.name,
                    schema=schema,
                    location=OpenApiParameter.QUERY,
                    description=str(entry.removed.field.help_text or ""),
                )
            )
    return documented


def _parameter(
    parameter: dict[str, Any], entry: Entry, plan: QueryPlan, auto_schema: AutoSchema
) -> dict[str, Any]:
    documented = {**parameter, "name": entry.name}
    head = entry.head
    if head is not None and head.kind == ORDERING and plan.ordering_terms is not None:
        terms = [value for term in plan.ordering_terms for value in (term, f"-{term}")]
        documented["schema"] = {"type": "array", "items": {"type": "string", "enum": terms}}
        documented["style"] = "form"
        documented["explode"] = False
    elif entry.steps and entry.suffix not in UNCONVERTED_LOOKUPS:
        schema = dict(
            auto_schema._map_serializer_field(entry.steps[0].old_field, "request")
            or build_basic_type(OpenApiTypes.STR)
            or {}
        )
        schema.pop("readOnly", None)
        if entry.suffix in LIST_LOOKUPS:
            documented["schema"] = build_array_type(schema)
            documented["style"] = "form"
            documented["explode"] = False
        else:
            documented["schema"] = schema
    return documented


# drf-spectacular's django-filter support imports django-filter only when a view uses it.
class VersionedDjangoFilterExtension(DjangoFilterExtension):
    """django-filter's parameters, as drf-spectacular finds them, in the version's names."""

    priority = 1  # before drf-spectacular's own, which it builds on

    def get_schema_operation_parameters(
        self, auto_schema: AutoSchema, *args: Any, **kwargs: Any
    ) -> Parameters:
        """The FilterSet's parameters in the documented version."""
        # drf-spectacular's contrib module is unannotated; it returns OpenAPI parameter dicts.
        head: Parameters = super().get_schema_operation_parameters(  # type: ignore[no-untyped-call]
            auto_schema, *args, **kwargs
        )
        return versioned(head, auto_schema)


class VersionedBackendExtension(OpenApiFilterExtension):
    """A DRF filter backend's or paginator's own parameters, in the documented version."""

    def get_schema_operation_parameters(
        self, auto_schema: AutoSchema, *args: Any, **kwargs: Any
    ) -> Parameters:
        """The target's parameters, as DRF describes them, in the documented version."""
        head: Parameters = list(self.target.get_schema_operation_parameters(auto_schema.view))
        return versioned(head, auto_schema)


class VersionedOrderingExtension(VersionedBackendExtension):
    """``OrderingFilter``: the version's name and terms (an enum, ``-`` for descending)."""

    target_class = "rest_framework.filters.OrderingFilter"
    match_subclasses = True


class VersionedSearchExtension(VersionedBackendExtension):
    """``SearchFilter``: the version's parameter name."""

    target_class = "rest_framework.filters.SearchFilter"
    match_subclasses = True


class VersionedPaginationExtension(VersionedBackendExtension):
    """DRF's paginators: the version's page, page size, limit, offset and cursor names."""

    target_class = "rest_framework.pagination.BasePagination"
    match_subclasses = True

"""The query parameters a head view accepts: its filters, ordering, search and paging names.

Read from the view class through DRF's and django-filter's public attributes, once per view
class (the plans that use them are kept on the bundle). django-filter is optional: without it,
a view has no filter parameters here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from rest_framework.filters import OrderingFilter, SearchFilter

try:  # optional dependency: ``pip install django-versioning-app[filters]``
    from django_filters import fields as filter_fields  # type: ignore[import-untyped]
    from django_filters import rest_framework as filter_backends
except ImportError:  # pragma: no cover - exercised by a subprocess test without it
    filter_fields = filter_backends = None

FILTER = "filter"
ORDERING = "ordering"
SEARCH = "search"
PAGE = "page"

#: What a paginator calls its parameters (DRF's page-number, limit-offset and cursor styles).
PAGINATION_ATTRIBUTES = (
    "page_query_param",
    "page_size_query_param",
    "limit_query_param",
    "offset_query_param",
    "cursor_query_param",
)
#: Lookups whose value is not one value of the field's type.
UNCONVERTED_LOOKUPS = frozenset({"__isnull"})
LIST_LOOKUPS = frozenset({"__in", "__range"})


@dataclass(frozen=True)
class Param:
    """One head query parameter: its name, kind, and the name of what it filters on."""

    name: str
    kind: str
    #: the part a rename renames: the filter's name before its lookup (``published``)
    base: str
    #: what follows ``base`` in the name: a lookup (``__gte``) or a widget suffix (``_min``)
    suffix: str = ""
    #: head's form field, when one value is checked alone (django-filter checks the rest)
    form_field: forms.Field | None = None


@dataclass(frozen=True)
class ViewParams:
    """A head view's query parameters, by name, and its ordering terms."""

    params: dict[str, Param]
    ordering_param: str | None
    #: the ``OrderingFilter`` terms, when the view lists them (``None``: DRF's defaults)
    ordering_terms: tuple[str, ...] | None


def split_name(name: str) -> tuple[str, str]:
    """``("published", "__gte")`` from ``published__gte``; ``(name, "")`` without a lookup."""
    base, separator, rest = name.partition("__")
    return base, (separator + rest if separator else "")


def view_params(view_class: type) -> ViewParams:
    """Every query parameter of ``view_class`` at head."""
    params: dict[str, Param] = {}
    ordering_param: str | None = None
    ordering_terms: tuple[str, ...] | None = None
    for backend_class in getattr(view_class, "filter_backends", None) or ():
        backend = backend_class()
        if filter_backends is not None and isinstance(backend, filter_backends.DjangoFilterBackend):
            params.update(_filter_params(backend, view_class))
        elif isinstance(backend, OrderingFilter):
            ordering_param = backend.ordering_param
            params[ordering_param] = Param(ordering_param, ORDERING, ordering_param)
            ordering_terms = _ordering_terms(view_class, backend)
        elif isinstance(backend, SearchFilter):
            name = backend.search_param
            params[name] = Param(name, SEARCH, name)
    pagination_class = getattr(view_class, "pagination_class", None)
    if pagination_class is not None:
        paginator = pagination_class()
        for attribute in PAGINATION_ATTRIBUTES:
            page_name = getattr(paginator, attribute, None)
            if isinstance(page_name, str) and page_name:
                params.setdefault(page_name, Param(page_name, PAGE, page_name))
    return ViewParams(params, ordering_param, ordering_terms)


def _ordering_terms(view_class: type, backend: OrderingFilter) -> tuple[str, ...] | None:
    fields = getattr(view_class, "ordering_fields", backend.ordering_fields)
    if fields is None or isinstance(fields, str):
        return None  # DRF's defaults ("__all__", the serializer's fields): any term is tried
    return tuple(item if isinstance(item, str) else item[0] for item in fields)


def _filter_params(backend: Any, view_class: type) -> dict[str, Param]:
    queryset = getattr(view_class, "queryset", None)
    filterset_class = getattr(view_class, "filterset_class", None)
    if queryset is None and filterset_class is None:
        return {}  # filterset_fields need the view's model, which only a request tells
    filterset_class = backend.get_filterset_class(view_class, queryset)
    if filterset_class is None:
        return {}
    params: dict[str, Param] = {}
    for filter_name, filter_field in filterset_class.base_filters.items():
        base, lookup = split_name(filter_name)
        field = filter_field.field
        suffixes = getattr(field.widget, "suffixes", None)
        if suffixes:
            for suffix in suffixes:
                name: str = field.widget.suffixed(filter_name, suffix)
                params[name] = Param(name, FILTER, base, name[len(base) :])
            continue
        single = not isinstance(
            field,
            (forms.MultiValueField, forms.ModelChoiceField, forms.MultipleChoiceField),
        ) and not isinstance(field, filter_fields.BaseCSVField)
        params[filter_name] = Param(filter_name, FILTER, base, lookup, field if single else None)
    return params

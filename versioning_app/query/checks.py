"""System checks of the query-parameter changes (E028, E029), against the versioned views.

A declared change must name a parameter that some versioned view accepts in the declaring
version (E028); a rename, declared or derived from a serializer's ``FieldRenamed``, must not
land on a name the view already has in the version before (E029).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.core.checks import CheckMessage, Error, Tags, register
from django.urls import URLPattern, URLResolver, get_resolver

from versioning_app.conf import app_settings
from versioning_app.query.changes import QueryParamChange, QueryParamRemoved
from versioning_app.query.plan import QueryPlan, build_plan
from versioning_app.versions import Version, VersionBundle, major_from_namespace


def versioned_views(
    patterns: Sequence[URLPattern | URLResolver] | None = None, inside: bool = False
) -> Iterator[type]:
    """The DRF view classes the versioned namespaces (``v1``, ``v2``...) route to."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            versioned = inside or major_from_namespace(entry.namespace or "") is not None
            yield from versioned_views(entry.url_patterns, versioned)
        elif inside:
            view_class = getattr(entry.callback, "cls", None)
            if isinstance(view_class, type):
                yield view_class


def _accepts(plan: QueryPlan, name: str) -> bool:
    return any(entry.base == name or entry.name == name for entry in plan.entries.values())


def query_change_errors(bundle: VersionBundle, views: Sequence[type]) -> list[CheckMessage]:
    """E028 and E029 for ``bundle``'s query changes over ``views``."""
    errors: list[CheckMessage] = []
    try:
        plans = {
            (view, version.number): build_plan(bundle, view, version.number)
            for view in views
            for version in bundle
        }
    except (ImportError, AttributeError):  # a serializer change that does not load is E020
        return []
    for version in bundle:
        for change in version.changes:
            if not isinstance(change, QueryParamChange) or isinstance(change, QueryParamRemoved):
                continue
            if not any(
                change.applies_to(view) and _accepts(plans[(view, version.number)], change.name)
                for view in views
            ):
                errors.append(_unknown(version, change))
    reported: set[tuple[type, str, str]] = set()
    for (view, _number), plan in plans.items():
        for at, name in plan.collisions:
            if (view, at, name) in reported:
                continue
            reported.add((view, at, name))
            errors.append(
                Error(
                    f"A rename in version {at} gives {view.__name__}'s query parameter the "
                    f"name {name!r}, which the view already has in the version before: "
                    "clients could not tell the two apart.",
                    hint="Rename the other parameter in the same version, or opt the field "
                    "change out of query parameters with query=False and declare the "
                    "parameters' changes yourself.",
                    obj=view,
                    id="versioning_app.E029",
                )
            )
    return errors


def _unknown(version: Version, change: QueryParamChange) -> Error:
    return Error(
        f"Version {version} declares {type(change).__name__}({change.name!r}), but no "
        f"versioned view accepts a query parameter {change.name!r} in {version}.",
        hint="Name the parameter as the view accepts it in that version: a FilterSet filter "
        "(without its lookup), the OrderingFilter or SearchFilter parameter, or a "
        "paginator's; check the view's filter_backends, or the views= the change is limited to.",
        id="versioning_app.E028",
    )


@register(Tags.compatibility, Tags.urls)
def check_query_changes(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The query-parameter changes name parameters the versioned views have (E028, E029)."""
    try:
        bundle = app_settings.versions
    except Exception:  # a bundle that does not load is E001-E005
        return []
    return query_change_errors(
        bundle, sorted(set(versioned_views()), key=lambda view: view.__qualname__)
    )

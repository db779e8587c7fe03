"""System checks of the method-level endpoint changes: they agree with the whole-route ones of
their route (W010), and DRF's ``OPTIONS`` metadata follows them (W011)."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Tags, Warning, register
from rest_framework.settings import api_settings

from versioning_app.changes import EndpointChange
from versioning_app.conf import app_settings
from versioning_app.metadata import VersionedMetadata
from versioning_app.versions import Version, VersionBundle

_METADATA = "versioning_app.metadata.VersionedMetadata"


def endpoint_disagreements(bundle: VersionBundle) -> list[CheckMessage]:
    """A method-level endpoint change declared where its route, as a whole, does not exist."""
    by_route: dict[str, list[tuple[Version, EndpointChange]]] = {}
    for version in bundle:
        for change in version.changes:
            if isinstance(change, EndpointChange):
                by_route.setdefault(change.route, []).append((version, change))
    warnings: list[CheckMessage] = []
    for route, declared in by_route.items():
        whole = [(version, change) for version, change in declared if change.methods is None]
        if not whole:
            continue
        for version, change in declared:
            if change.methods is None:
                continue
            # The whole route's state in that version, decided as the endpoint index does:
            # the last whole-route change at or before it, else the opposite of the first.
            before = [(v, c) for v, c in whole if v.number <= version.number]
            cause_version, cause = before[-1] if before else whole[0]
            if cause.present_from_here == bool(before):
                continue
            methods = ", ".join(repr(method) for method in sorted(change.methods))
            warnings.append(
                Warning(
                    f"Version {version} declares {type(change).__name__}({route!r}, {methods}) "
                    f"but the route as a whole does not exist in {version} "
                    f"({type(cause).__name__}({route!r}) in {cause_version}): that version "
                    "would serve the route with those methods alone.",
                    hint="Declare a route's methods only in versions where the route exists, "
                    "or move the whole-route change.",
                    id="versioning_app.W010",
                )
            )
    return warnings


@register(Tags.compatibility)
def check_endpoint_changes(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Method-level endpoint changes agree with their route's whole-route ones (W010), and
    the ``OPTIONS`` metadata class follows them (W011)."""
    try:
        bundle = app_settings.versions
    except Exception:  # a bundle that does not load is E001-E005
        return []
    messages = endpoint_disagreements(bundle)
    metadata_class = api_settings.DEFAULT_METADATA_CLASS
    if bundle.endpoints.method_routes and not (
        isinstance(metadata_class, type) and issubclass(metadata_class, VersionedMetadata)
    ):
        messages.append(
            Warning(
                "REST_FRAMEWORK['DEFAULT_METADATA_CLASS'] is not versioning_app's: OPTIONS "
                "describes methods that method-level endpoint changes take away from a version.",
                hint=f"Set it to '{_METADATA}' (or a subclass).",
                id="versioning_app.W011",
            )
        )
    return messages

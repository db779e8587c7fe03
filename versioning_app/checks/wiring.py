"""System checks of the core's wiring: settings (from ``settings_spec``), DRF, URLs.

Ids E001-E019, W001-W009; the settings' ids are declared with the settings, in
``settings_spec``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.utils.module_loading import import_string
from rest_framework.parsers import JSONParser as DRFJSONParser

from versioning_app.changes import (
    EndpointChange,
)
from versioning_app.conf import app_settings
from versioning_app.parsers import JSONParser
from versioning_app.routing import mounted_versions
from versioning_app.settings_spec import SETTINGS, SETTINGS_NAME
from versioning_app.versioning import APIVersioning
from versioning_app.versions import VersionDeclarationError

_MIDDLEWARE = "versioning_app.middleware.VersioningMiddleware"
_EXCEPTION_HANDLER = "versioning_app.errors.exception_handler"


@register(Tags.compatibility)
def check_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Every ``VERSIONING_APP`` key is known and has a value its entry in the spec accepts."""
    user = getattr(settings, SETTINGS_NAME, {})
    if not isinstance(user, dict):
        return [
            Error(
                f"{SETTINGS_NAME} must be a dict.",
                hint="For example {'VERSIONS': 'myproject.api.versions.VERSIONS'}.",
                id="versioning_app.E014",
            )
        ]
    errors: list[CheckMessage] = []
    unknown = sorted(set(user) - set(SETTINGS))
    if unknown:
        errors.append(
            Error(
                f"Unknown {SETTINGS_NAME} keys: {', '.join(unknown)}.",
                hint=f"Known keys: {', '.join(sorted(SETTINGS))}.",
                id="versioning_app.E011",
            )
        )
    for setting in SETTINGS.values():
        try:
            problem = setting.problem(getattr(app_settings, setting.name))
        except VersionDeclarationError as exc:
            errors.append(
                Error(str(exc), id=exc.check_id, hint="Fix the VersionBundle declaration.")
            )
            continue
        if problem:
            errors.append(Error(problem, hint=setting.hint, id=setting.check_id))
    return errors


@register(Tags.compatibility)
def check_drf_wiring(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """DRF uses our versioning class and exception handler; the middleware is installed."""
    from rest_framework.settings import api_settings

    errors: list[CheckMessage] = []
    versioning_class = api_settings.DEFAULT_VERSIONING_CLASS
    if not (isinstance(versioning_class, type) and issubclass(versioning_class, APIVersioning)):
        errors.append(
            Error(
                "REST_FRAMEWORK['DEFAULT_VERSIONING_CLASS'] is not versioning_app's.",
                hint="Set it to 'versioning_app.versioning.APIVersioning' (or a subclass).",
                id="versioning_app.E006",
            )
        )
    if _MIDDLEWARE not in settings.MIDDLEWARE:
        errors.append(
            Warning(
                f"{_MIDDLEWARE} is not in MIDDLEWARE: responses miss API-Version and Vary.",
                hint="Add it to MIDDLEWARE.",
                id="versioning_app.W001",
            )
        )
    handler = api_settings.EXCEPTION_HANDLER
    if handler is not import_string(_EXCEPTION_HANDLER):
        errors.append(
            Warning(
                "REST_FRAMEWORK['EXCEPTION_HANDLER'] is not versioning_app's: version errors "
                "are rendered as plain JSON instead of application/problem+json.",
                hint=f"Set it to '{_EXCEPTION_HANDLER}'.",
                id="versioning_app.W002",
            )
        )
    errors.extend(_check_parsers(api_settings.DEFAULT_PARSER_CLASSES))
    return errors


def _check_parsers(parser_classes: Sequence[Any]) -> list[CheckMessage]:
    # DRF's own JSON parser answers a deeply nested body with a 500 (RecursionError).
    unbounded = [
        parser.__name__
        for parser in parser_classes
        if isinstance(parser, type)
        and issubclass(parser, DRFJSONParser)
        and not issubclass(parser, JSONParser)
    ]
    if not unbounded:
        return []
    return [
        Warning(
            f"REST_FRAMEWORK['DEFAULT_PARSER_CLASSES'] reads JSON with {', '.join(unbounded)}: "
            "a body nested a thousand deep answers 500, and any size is read.",
            hint="Use 'versioning_app.parsers.JSONParser' in its place.",
            id="versioning_app.W012",
        )
    ]


@register(Tags.urls)
def check_urls(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """URL namespaces match the declared majors; endpoint changes name existing routes."""
    errors: list[CheckMessage] = []
    try:
        bundle = app_settings.versions
    except Exception:  # reported by check_settings
        return errors
    try:
        majors, routes = mounted_versions()
    except Exception:
        return errors
    declared = set(bundle.majors)
    for major in sorted(declared - majors):
        errors.append(
            Error(
                f"Major version {major} is declared but the URLconf has no 'v{major}' namespace.",
                hint="Include versioning_app.routing.versioned_urls(...) in your URLconf.",
                id="versioning_app.E007",
            )
        )
    for major in sorted(majors - declared):
        errors.append(
            Error(
                f"The URLconf has a 'v{major}' namespace but no version of major {major} "
                "is declared.",
                hint="Declare the version, or rename the namespace.",
                id="versioning_app.E008",
            )
        )
    if not majors:
        return errors
    for version in bundle:
        for change in version.changes:
            if isinstance(change, EndpointChange) and change.route not in routes:
                errors.append(
                    Error(
                        f"Version {version} declares {type(change).__name__}({change.route!r}) "
                        "but no versioned URL has that name.",
                        hint="Use the route's URL name, e.g. 'book-list' for a DRF router.",
                        id="versioning_app.E012",
                    )
                )
    return errors


# The declared serializer changes (E020-E039, W020-W039). A first version that declares
# changes is refused by the bundle itself (E005).

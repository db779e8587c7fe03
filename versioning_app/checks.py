"""System checks: misconfiguration becomes a startup error with a hint."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from versioning_app.changes import EndpointChange
from versioning_app.conf import DEFAULTS, SETTINGS_NAME, app_settings
from versioning_app.routing import mounted_versions
from versioning_app.versioning import APIVersioning
from versioning_app.versions import VersionBundle, VersionDeclarationError

# RFC 9110 token characters: what a header field name may contain.
_HEADER_NAME_RE = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_MIDDLEWARE = "versioning_app.middleware.VersioningMiddleware"
_EXCEPTION_HANDLER = "versioning_app.errors.exception_handler"


def _bundle(errors: list[CheckMessage]) -> VersionBundle | None:
    try:
        return app_settings.versions
    except VersionDeclarationError as exc:
        errors.append(Error(str(exc), id=exc.check_id, hint="Fix the VersionBundle declaration."))
    except (ImproperlyConfigured, ImportError) as exc:
        errors.append(
            Error(
                f"{SETTINGS_NAME}['VERSIONS'] cannot be loaded: {exc}",
                hint="Set it to the dotted path of your VersionBundle.",
                id="versioning_app.E001",
            )
        )
    return None


@register(Tags.compatibility)
def check_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Every ``VERSIONING_APP`` key is known and of the right type."""
    errors: list[CheckMessage] = []
    user = getattr(settings, SETTINGS_NAME, {})
    if not isinstance(user, dict):
        return [
            Error(
                f"{SETTINGS_NAME} must be a dict.",
                hint="For example {'VERSIONS': 'myproject.api.versions.VERSIONS'}.",
                id="versioning_app.E014",
            )
        ]
    unknown = sorted(set(user) - set(DEFAULTS))
    if unknown:
        errors.append(
            Error(
                f"Unknown {SETTINGS_NAME} keys: {', '.join(unknown)}.",
                hint=f"Known keys: {', '.join(sorted(DEFAULTS))}.",
                id="versioning_app.E011",
            )
        )
    header = app_settings.VERSION_HEADER
    if not isinstance(header, str) or not _HEADER_NAME_RE.fullmatch(header):
        errors.append(
            Error(
                f"{SETTINGS_NAME}['VERSION_HEADER'] must be an HTTP header name.",
                hint="The default is 'API-Version'.",
                id="versioning_app.E009",
            )
        )
    if not isinstance(app_settings.PROBLEM_TYPE_BASE, str):
        errors.append(
            Error(
                f"{SETTINGS_NAME}['PROBLEM_TYPE_BASE'] must be a string.",
                hint="A URI prefix such as 'https://example.com/problems/'.",
                id="versioning_app.E010",
            )
        )
    _bundle(errors)
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
    return errors


@register(Tags.urls)
def check_urls(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """URL namespaces match the declared majors; endpoint changes name existing routes."""
    errors: list[CheckMessage] = []
    bundle = _bundle([])
    if bundle is None:
        return errors  # reported by check_settings
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

"""System checks of the documentation side: settings, schema class, compatibility of minors."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.utils.module_loading import import_string

from versioning_app.conf import SETTINGS_NAME, app_settings


@register(Tags.compatibility)
def check_docs_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """``DOCS_PERMISSION_CLASSES``, ``SCHEMA_CACHE`` and ``SCHEMA_CACHE_TIMEOUT`` are usable."""
    errors: list[CheckMessage] = []
    permissions = app_settings.DOCS_PERMISSION_CLASSES
    if permissions is not None:
        problem = _permission_problem(permissions)
        if problem:
            errors.append(
                Error(
                    f"{SETTINGS_NAME}['DOCS_PERMISSION_CLASSES'] {problem}",
                    hint="A list of dotted paths of DRF permission classes, or None for "
                    "REST_FRAMEWORK's DEFAULT_PERMISSION_CLASSES.",
                    id="versioning_app.E060",
                )
            )
    alias = app_settings.SCHEMA_CACHE
    if not isinstance(alias, str) or alias not in settings.CACHES:
        errors.append(
            Error(
                f"{SETTINGS_NAME}['SCHEMA_CACHE'] names no cache in CACHES.",
                hint=f"One of: {', '.join(sorted(settings.CACHES))}.",
                id="versioning_app.E061",
            )
        )
    timeout = app_settings.SCHEMA_CACHE_TIMEOUT
    if timeout is not None and (
        isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0
    ):
        errors.append(
            Error(
                f"{SETTINGS_NAME}['SCHEMA_CACHE_TIMEOUT'] must be a positive number of seconds "
                "or None.",
                hint="The default is 86400 (a day); None keeps them until the cache evicts them.",
                id="versioning_app.E062",
            )
        )
    return errors


def _permission_problem(value: object) -> str:
    from rest_framework.permissions import BasePermission, OperandHolder

    if not isinstance(value, list | tuple):
        return "must be a list."
    for item in value:
        try:
            permission = import_string(item) if isinstance(item, str) else item
        except ImportError:
            return f"names {item!r}, which cannot be imported."
        if not (
            isinstance(permission, OperandHolder)
            or (isinstance(permission, type) and issubclass(permission, BasePermission))
        ):
            return f"names {item!r}, which is not a DRF permission class."
    return ""


@register(Tags.compatibility)
def check_schema_wiring(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """DRF's schema class is drf-spectacular's; Swagger UI and Redoc assets are installed."""
    from drf_spectacular.openapi import AutoSchema
    from rest_framework.settings import api_settings

    errors: list[CheckMessage] = []
    schema_class = api_settings.DEFAULT_SCHEMA_CLASS
    if not (isinstance(schema_class, type) and issubclass(schema_class, AutoSchema)):
        errors.append(
            Error(
                "REST_FRAMEWORK['DEFAULT_SCHEMA_CLASS'] is not drf-spectacular's AutoSchema: "
                "versioning_app cannot generate the per-version OpenAPI documents.",
                hint="Set it to 'drf_spectacular.openapi.AutoSchema' (or a subclass).",
                id="versioning_app.E063",
            )
        )
    if not apps.is_installed("drf_spectacular_sidecar"):
        errors.append(
            Warning(
                "drf_spectacular_sidecar is not in INSTALLED_APPS: the docs pages cannot load "
                "Swagger UI and Redoc, which versioning_app serves locally (no CDN).",
                hint="pip install drf-spectacular-sidecar and add 'drf_spectacular_sidecar' to "
                "INSTALLED_APPS.",
                id="versioning_app.W061",
            )
        )
    return errors


@register(Tags.compatibility, deploy=True)
def check_minor_compatibility(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """No minor release breaks its predecessor (``check --deploy``; it generates schemas)."""
    from versioning_app.docs.compatibility import check_compatibility

    try:
        violations = check_compatibility()
    except Exception as exc:  # a declaration error is also reported by its own check
        return [
            Warning(
                f"The compatibility of minor versions could not be checked: {exc}",
                hint="Run `manage.py api_compat` to see the full error.",
                id="versioning_app.W062",
            )
        ]
    return [
        Warning(
            str(violation),
            hint="A minor release only adds: declare the change in a new major version instead.",
            id="versioning_app.W060",
        )
        for violation in violations
    ]

"""System checks of the docs side: schema class, Swagger UI assets, compatibility of minors.

Its settings' ids (E060-E062) are declared with the settings, in ``settings_spec``.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.checks import CheckMessage, Error, Tags, Warning, register


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


@register(Tags.compatibility)
def check_changelog_descriptions(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Endpoint changes and data migrations carry a description for the changelog."""
    from versioning_app.conf import app_settings
    from versioning_app.docs.changelog import neutral_sentence, undescribed

    try:
        bundle = app_settings.versions
    except Exception:  # a broken declaration is reported by its own check (E0xx)
        return []
    return [
        Warning(
            f"Version {version.number} declares {type(change).__name__} without a description: "
            f'the changelog says only "{neutral_sentence(change)}"',
            hint='Pass description="..." saying what clients see change (inline Markdown: '
            "`code`, *emphasis*, [links](https://...)).",
            obj=f"{version.number}: {type(change).__name__}",
            id="versioning_app.W065",
        )
        for version in bundle
        for change in version.changes
        if undescribed(change)
    ]


@register(Tags.urls)
def check_spectacular_views(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """drf-spectacular's ``SpectacularAPIView`` names a version (else its ``paths`` are empty)."""
    from django.urls import URLPattern, URLResolver, get_resolver
    from drf_spectacular.views import SpectacularAPIView

    def walk(patterns: Any, prefix: str) -> list[CheckMessage]:
        found: list[CheckMessage] = []
        for entry in patterns:
            if isinstance(entry, URLResolver):
                found += walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                view_class = getattr(entry.callback, "view_class", None)
                initkwargs = getattr(entry.callback, "view_initkwargs", {}) or {}
                if (
                    isinstance(view_class, type)
                    and issubclass(view_class, SpectacularAPIView)
                    and not initkwargs.get("api_version")
                ):
                    found.append(
                        Warning(
                            f"SpectacularAPIView at '{prefix}{entry.pattern}' names no API "
                            "version: with versioned URL namespaces its document has empty "
                            "'paths'.",
                            hint="Serve the per-version documents of include('versioning_app."
                            "urls') (/api/schema/<version>/), or name one version: "
                            "SpectacularAPIView.as_view(api_version='2.1') (with "
                            "versioning_app.docs.schema.postprocessing_hook in "
                            "SPECTACULAR_SETTINGS['POSTPROCESSING_HOOKS'] for its lifecycle).",
                            obj=f"{prefix}{entry.pattern}",
                            id="versioning_app.W066",
                        )
                    )
        return found

    try:
        patterns = get_resolver().url_patterns
    except Exception:  # a broken URLconf is reported by Django's own checks
        return []
    return walk(patterns, "")


@register(Tags.compatibility)
def check_ui_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """``SWAGGER_UI_SETTINGS`` and ``REDOC_UI_SETTINGS`` are objects the docs pages can pass on."""
    from versioning_app.docs.ui import ui_settings_value

    messages: list[CheckMessage] = []
    for name in ("SWAGGER_UI_SETTINGS", "REDOC_UI_SETTINGS"):
        if ui_settings_value(name) is None:
            messages.append(
                Warning(
                    f"SPECTACULAR_SETTINGS['{name}'] is not an object (a dict or a JSON object "
                    "string): versioning_app's docs pages ignore it.",
                    hint=f"Write {name} as a dict, e.g. {{'deepLinking': True}}.",
                    id="versioning_app.W067",
                )
            )
    return messages

"""What the docs pages take from drf-spectacular's ``SPECTACULAR_SETTINGS``: the title, Swagger UI
and Redoc options, the favicon, where the UI bundles come from, and who may read the pages.

The pages load Swagger UI and Redoc from drf-spectacular-sidecar (this project's static files)
unless ``SWAGGER_UI_DIST`` / ``REDOC_DIST`` name another place: their drf-spectacular default, a
CDN, means "not chosen", and ``"SIDECAR"`` means the sidecar, as in drf-spectacular.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.templatetags.static import static
from django.utils.module_loading import import_string
from drf_spectacular.settings import SPECTACULAR_DEFAULTS

SIDECAR = "drf_spectacular_sidecar"
_SWAGGER = f"{SIDECAR}/swagger-ui-dist"
_REDOC = f"{SIDECAR}/redoc/bundles"


def _chosen(name: str) -> Any:
    """The project's own value of a drf-spectacular setting, or None when it left the default."""
    # Read from Django's settings on every call rather than drf-spectacular's import-time copy,
    # so that override_settings and setting_changed apply to the pages at once.
    return getattr(settings, "SPECTACULAR_SETTINGS", {}).get(name)


def setting(name: str) -> Any:
    """A drf-spectacular setting: the project's value, else drf-spectacular's default."""
    value = _chosen(name)
    return SPECTACULAR_DEFAULTS[name] if value is None else value


def title() -> str:
    """``SPECTACULAR_SETTINGS['TITLE']``, or ``API`` when it is empty."""
    return str(setting("TITLE") or "API")


def ui_settings(name: str) -> dict[str, Any]:
    """``SWAGGER_UI_SETTINGS`` or ``REDOC_UI_SETTINGS`` as a dict (drf-spectacular also takes a
    JSON string); anything that is not an object is ignored (``W067`` says so)."""
    value = ui_settings_value(name)
    return value if value is not None else {}


def ui_settings_value(name: str) -> dict[str, Any] | None:
    """The UI setting as a dict, or None when it is neither a dict nor a JSON object string."""
    value = setting(name)
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return dict(value) if isinstance(value, dict) else None


def _dist(name: str) -> str | None:
    """Where the project loads a UI from, or None for the sidecar (the default here)."""
    value = _chosen(name)
    if not value or value == "SIDECAR" or value == SPECTACULAR_DEFAULTS[name]:
        return None
    return str(value).rstrip("/")


def swagger_assets() -> dict[str, str]:
    """Swagger UI's bundle, preset, styles and favicon."""
    dist = _dist("SWAGGER_UI_DIST")
    if dist is None:
        assets = {
            "css": static(f"{_SWAGGER}/swagger-ui.css"),
            "bundle": static(f"{_SWAGGER}/swagger-ui-bundle.js"),
            "preset": static(f"{_SWAGGER}/swagger-ui-standalone-preset.js"),
        }
    else:
        assets = {
            "css": f"{dist}/swagger-ui.css",
            "bundle": f"{dist}/swagger-ui-bundle.js",
            "preset": f"{dist}/swagger-ui-standalone-preset.js",
        }
    favicon = _chosen("SWAGGER_UI_FAVICON_HREF")
    if (
        not favicon
        or favicon == "SIDECAR"
        or favicon == SPECTACULAR_DEFAULTS["SWAGGER_UI_FAVICON_HREF"]
    ):
        favicon = static(f"{_SWAGGER}/favicon-32x32.png")
    return {**assets, "favicon": str(favicon)}


def redoc_assets() -> dict[str, str]:
    """Redoc's standalone bundle."""
    dist = _dist("REDOC_DIST")
    bundle = (
        static(f"{_REDOC}/redoc.standalone.js")
        if dist is None
        else f"{dist}/bundles/redoc.standalone.js"
    )
    return {"bundle": bundle}


def serve_classes(name: str) -> list[type[Any]] | None:
    """``SERVE_PERMISSIONS`` / ``SERVE_AUTHENTICATION`` as classes when the project set them."""
    value = _chosen(name)
    if value is None:
        return None
    return [import_string(path) if isinstance(path, str) else path for path in value]

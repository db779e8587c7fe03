"""Response headers of versioned requests: ``API-Version``, ``Vary``, a per-version ``Allow``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_vary_headers

from .conf import app_settings
from .versions import VersionNumber

_UNSET = object()


def add_version_headers(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    """Add ``API-Version`` (the served version) and ``Vary`` to a versioned request's response."""
    # ``api_version`` is set (possibly to None) only when a versioned route handled the request.
    served = getattr(request, "api_version", _UNSET)
    if served is _UNSET:
        return response
    header = app_settings.VERSION_HEADER
    if response.has_header("Vary"):
        patch_vary_headers(response, (header,))
    else:  # the common case, without parsing an existing Vary
        response["Vary"] = header
    if served is not None:
        response[header] = str(served)
        if response.has_header("Allow"):
            _restrict_allow(request, response, served)
    return response


def _restrict_allow(
    request: HttpRequest, response: HttpResponseBase, served: VersionNumber
) -> None:
    # DRF's Allow lists the view's methods; drop those the served version does not have.
    match = getattr(request, "resolver_match", None)
    route = match.url_name if match is not None else None
    endpoints = app_settings.versions.endpoints
    if route not in endpoints.method_routes:
        return  # the common case: no method-level change on this route
    methods = [method.strip() for method in response["Allow"].split(",")]
    response["Allow"] = ", ".join(
        method
        for method in methods
        if method == "OPTIONS"
        or endpoints.available(route, "GET" if method == "HEAD" else method, served)
    )

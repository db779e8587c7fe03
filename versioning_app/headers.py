"""Response headers of versioned requests: ``API-Version`` and ``Vary``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_vary_headers

from .conf import app_settings

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
    return response

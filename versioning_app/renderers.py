"""DRF's browsable API with the version headers a client sees (``API-Version``, ``Deprecation``,
``Sunset``, ``Link``, a per-version ``Allow``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpResponse
from rest_framework.renderers import BrowsableAPIRenderer

from versioning_app.headers import add_version_headers


class VersionedBrowsableAPIRenderer(BrowsableAPIRenderer):
    """``BrowsableAPIRenderer`` whose page lists the headers the middleware will add.

    The page is rendered inside the view, before ``VersioningMiddleware`` writes the version
    headers on the response, so DRF's header block would miss them. They are written here from
    the same request decision onto a copy of the headers, exactly as the middleware writes them.
    """

    def get_context(
        self, data: Any, accepted_media_type: str | None, renderer_context: Mapping[str, Any]
    ) -> dict[str, Any]:
        """DRF's context, with ``response_headers`` as the client will receive them."""
        context: dict[str, Any] = super().get_context(data, accepted_media_type, renderer_context)
        request = renderer_context.get("request")
        if request is None:
            return context
        shown = HttpResponse()
        for name, value in context["response_headers"].items():
            shown.headers[name] = value
        # DRF's Request proxies attributes to Django's: the decision is read, never re-made.
        add_version_headers(request._request, shown)
        context["response_headers"] = dict(sorted(shown.items()))
        return context

"""The middleware that puts the version headers on every versioned response, errors included,
and counts the request for usage tracking (into the cache, never the database)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.http import HttpRequest, HttpResponseBase

from versioning_app.decision import decision_of
from versioning_app.headers import add_version_headers
from versioning_app.query.translate import restore_links
from versioning_app.usage.recording import record

GetResponse = Callable[[HttpRequest], HttpResponseBase]
AsyncGetResponse = Callable[[HttpRequest], Awaitable[HttpResponseBase]]


class VersioningMiddleware:
    """Adds ``API-Version`` and ``Vary: API-Version`` to versioned responses, and counts them."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: GetResponse | AsyncGetResponse) -> None:
        self.get_response = get_response
        self.async_mode = iscoroutinefunction(get_response)
        if self.async_mode:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> HttpResponseBase | Awaitable[HttpResponseBase]:
        if self.async_mode:
            return self.__acall__(request)
        response = self.get_response(request)
        add_version_headers(request, response)  # type: ignore[arg-type]
        record(request)
        return response

    def process_template_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        """Before rendering: a paginated body's links in the served version's parameter names."""
        restore_links(request, getattr(response, "data", None))
        return response

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        response: HttpResponseBase = await self.get_response(request)  # type: ignore[misc]
        add_version_headers(request, response)
        decision = decision_of(request)
        if decision is not None and decision.counted:
            # The client is on the decision already; a push to the cache may block: off the loop.
            await sync_to_async(record)(request)
        return response

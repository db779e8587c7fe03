"""The middleware in sync and async mode."""

from __future__ import annotations

import asyncio

from asgiref.sync import async_to_sync, iscoroutinefunction
from django.http import HttpRequest, HttpResponse

from versioning_app.decision import ChosenBy, Decision, store
from versioning_app.middleware import VersioningMiddleware
from versioning_app.versions import VersionNumber


def _request(version: VersionNumber | bool | None, route: str | None = None) -> HttpRequest:
    request = HttpRequest()
    if version is not False:  # what the versioning class (or a catch-all) decides
        store(request, Decision(version, ChosenBy.URL, route, "GET", "GET"))  # type: ignore[arg-type]
    return request


def test_sync_mode() -> None:
    middleware = VersioningMiddleware(lambda request: HttpResponse())
    assert not iscoroutinefunction(middleware)
    response = middleware(_request(VersionNumber(2, 0)))
    assert response["API-Version"] == "2.0"
    assert response["Vary"] == "API-Version"
    assert "Vary" not in middleware(_request(False))


def test_async_mode() -> None:
    async def get_response(request: HttpRequest) -> HttpResponse:
        return HttpResponse(headers={"Vary": "Accept"})

    middleware = VersioningMiddleware(get_response)
    assert iscoroutinefunction(middleware)
    response = asyncio.run(middleware(_request(VersionNumber(1, 1))))
    assert response["API-Version"] == "1.1"
    assert response["Vary"] == "Accept, API-Version"
    response = asyncio.run(middleware(_request(None)))
    assert "API-Version" not in response
    assert response["Vary"] == "Accept, API-Version"
    assert "Vary" in asyncio.run(middleware(_request(False)))  # the view's own Vary only
    assert asyncio.run(middleware(_request(False)))["Vary"] == "Accept"


def test_asgi_end_to_end(async_client) -> None:
    # Through Django's ASGI handler, where the middleware chain runs in async mode.
    async def fetch() -> HttpResponse:
        return await async_client.get("/api/v2/books/1/similar/", headers={"API-Version": "2.0"})

    response = async_to_sync(fetch)()
    assert response.status_code == 404
    assert response["API-Version"] == "2.0"
    assert "API-Version" in response["Vary"]


# Usage counting: the middleware counts a request once its response exists, into memory only.


def _counted_request(version: VersionNumber | None) -> HttpRequest:
    from django.urls import resolve

    request = _request(version, "book-list")
    request.method = "GET"
    request.resolver_match = resolve("/api/v2/books/")
    return request


def test_sync_mode_counts_served_requests() -> None:
    from versioning_app.usage.buffer import counter

    middleware = VersioningMiddleware(lambda request: HttpResponse())
    middleware(_counted_request(VersionNumber(2, 1)))
    middleware(_counted_request(None))  # versioned route, no served version: not counted
    middleware(_request(False))
    assert counter.pending == 1


def test_async_mode_counts_served_requests() -> None:
    from versioning_app.usage.buffer import counter

    async def get_response(request: HttpRequest) -> HttpResponse:
        return HttpResponse()

    middleware = VersioningMiddleware(get_response)
    asyncio.run(middleware(_counted_request(VersionNumber(2, 1))))
    asyncio.run(middleware(_counted_request(None)))
    assert counter.pending == 1


def test_asgi_end_to_end_counts(async_client, db) -> None:
    from versioning_app.usage.buffer import counter

    async def fetch() -> HttpResponse:
        return await async_client.get("/api/v2/books/")

    assert async_to_sync(fetch)().status_code == 200
    assert counter.pending == 1


def test_a_failing_client_resolver_never_breaks_the_response(settings) -> None:
    settings.VERSIONING_APP = {
        **settings.VERSIONING_APP,
        "USAGE_CLIENT_RESOLVER": "tests.test_middleware.exploding_resolver",
    }
    middleware = VersioningMiddleware(lambda request: HttpResponse("ok"))
    response = middleware(_counted_request(VersionNumber(2, 1)))
    assert response.status_code == 200
    assert response["API-Version"] == "2.1"


def exploding_resolver(request: HttpRequest) -> str:
    """A client resolver with a bug."""
    raise RuntimeError("resolver bug")

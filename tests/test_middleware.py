"""The middleware in sync and async mode."""

from __future__ import annotations

import asyncio

from asgiref.sync import async_to_sync, iscoroutinefunction
from django.http import HttpRequest, HttpResponse

from versioning_app.middleware import VersioningMiddleware
from versioning_app.versions import VersionNumber


def _request(version: VersionNumber | bool | None) -> HttpRequest:
    request = HttpRequest()
    if version is not False:
        request.api_version = version  # what the versioning class sets
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

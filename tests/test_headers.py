"""``API-Version`` and ``Vary`` on versioned responses, errors included; nothing elsewhere."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import override_settings
from rest_framework.test import APIClient

from tests.support.declarations import METHOD_LEVEL_SETTINGS
from tests.testapp.factories import BookFactory
from versioning_app.decision import ChosenBy, Decision, store
from versioning_app.headers import add_version_headers

# What a catch-all decides for a major the API does not have: versioned, nothing served.
UNKNOWN_MAJOR = Decision(None, ChosenBy.URL, None, "GET", "GET")


def vary(response) -> list[str]:
    """The response's Vary members."""
    return [part.strip() for part in response.get("Vary", "").split(",") if part.strip()]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path", "header", "status", "served"),
    [
        ("get", "/api/v2/books/", None, 200, "2.1"),
        ("get", "/api/v2/books/", "2.0", 200, "2.0"),
        ("get", "/api/v1/", None, 200, "1.1"),
        ("get", "/api/v2/books/1/similar/", None, 404, "2.1"),  # endpoint absent
        ("get", "/api/v2/nothing/", "2.0", 404, "2.0"),  # no such path
        ("get", "/api/v2/books/999/", None, 404, "2.1"),  # the view's own 404
        ("get", "/api/v2/books/", "2.7", 400, "2.1"),  # unknown minor
        ("get", "/api/v2/books/", "1.0", 400, "2.1"),  # cross-major
        ("get", "/api/v2/books/", "\r\n", 400, "2.1"),  # malformed
        ("post", "/api/v2/books/", None, 400, "2.1"),  # validation error
        ("post", "/api/v2/books/", "2.0", 400, "2.0"),
        ("options", "/api/v3/books/", None, 200, "3.0"),
    ],
)
def test_version_headers(
    admin_api: APIClient, method: str, path: str, header: str | None, status: int, served: str
) -> None:
    extra = {} if header is None else {"HTTP_API_VERSION": header}
    response = getattr(admin_api, method)(path, {}, format="json", **extra)
    assert response.status_code == status
    assert response["API-Version"] == served
    assert "API-Version" in vary(response)


def test_unknown_major_varies_but_serves_no_version(api: APIClient) -> None:
    response = api.get("/api/v9/books/")
    assert response.status_code == 404
    assert "API-Version" not in response
    assert vary(response) == ["API-Version"]


@pytest.mark.django_db
def test_vary_merges_with_existing_values(api: APIClient) -> None:
    response = api.get("/api/v2/books/")
    assert vary(response) == ["Accept", "API-Version", "Cookie"]


@pytest.mark.parametrize("path", ["/admin/login/", "/api/", "/nothing/"])
def test_non_versioned_routes_get_neither(api: APIClient, path: str) -> None:
    response = api.get(path)
    assert "API-Version" not in response
    assert "API-Version" not in vary(response)


@pytest.mark.django_db
def test_version_header_setting_renames_both_headers(api: APIClient) -> None:
    with override_settings(
        VERSIONING_APP={
            "VERSIONS": "tests.testapp.versions.VERSIONS",
            "VERSION_HEADER": "X-Api-Version",
        }
    ):
        response = api.get("/api/v2/books/", HTTP_X_API_VERSION="2.0")
        assert response.status_code == 200
        assert response["X-Api-Version"] == "2.0"
        assert "API-Version" not in response
        assert "X-Api-Version" in vary(response)
        # The default name no longer pins anything.
        assert api.get("/api/v2/books/", HTTP_API_VERSION="2.0")["X-Api-Version"] == "2.1"
        response = api.get("/api/v2/books/", HTTP_X_API_VERSION="2.9")
        assert response.status_code == 400
        assert "X-Api-Version header" in response.json()["detail"]


def test_add_version_headers_only_for_versioned_requests() -> None:
    request = HttpRequest()
    assert "Vary" not in add_version_headers(request, HttpResponse())
    store(request, UNKNOWN_MAJOR)
    response = add_version_headers(request, HttpResponse(headers={"Vary": "Origin"}))
    assert response["Vary"] == "Origin, API-Version"
    assert "API-Version" not in response


@pytest.mark.parametrize(
    ("existing", "expected"),
    [
        ("*", "*"),  # varies on everything already
        ("Accept, api-version", "Accept, api-version"),  # header names are case-insensitive
        ("Accept,Cookie", "Accept,Cookie, API-Version"),
        ("X-API-Version-Extra", "X-API-Version-Extra, API-Version"),  # a token, not a substring
    ],
)
def test_vary_is_extended_once(existing: str, expected: str) -> None:
    request = HttpRequest()
    store(request, UNKNOWN_MAJOR)
    response = add_version_headers(request, HttpResponse(headers={"Vary": existing}))
    assert response["Vary"] == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "header", "allowed"),
    [
        ("/api/v1/books/", "1.0", {"GET", "HEAD", "OPTIONS"}),  # POST arrives in 1.1
        ("/api/v1/books/", "1.1", {"GET", "POST", "HEAD", "OPTIONS"}),
        ("/api/v2/books/{pk}/", "2.1", {"GET", "PUT", "PATCH", "HEAD", "OPTIONS"}),
        ("/api/v2/books/{pk}/", "2.0", {"GET", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}),
    ],
)
def test_allow_lists_only_the_served_versions_methods(
    api: APIClient, path: str, header: str, allowed: set[str]
) -> None:
    book = BookFactory()
    with override_settings(**METHOD_LEVEL_SETTINGS):
        for method in ("get", "options"):
            response = getattr(api, method)(path.format(pk=book.pk), HTTP_API_VERSION=header)
            assert response.status_code == 200
            assert {m.strip() for m in response["Allow"].split(",")} == allowed

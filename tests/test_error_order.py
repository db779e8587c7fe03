"""Every method and every negotiation gets the versioned answer first (issue 13 items 5 and 6).

A write to a path with no endpoint once got Django's HTML CSRF page (403, no ``API-Version``),
and DRF's content negotiation (``?format=``, ``Accept``) answered 404 or 406 before the version
was decided: without the headers, and instead of a retired version's 410.
"""

from __future__ import annotations

import pytest
from django.test import Client

from tests.support.factories import DeprecatedVersionFactory, VersionLifecycleFactory
from tests.testapp.factories import BookFactory
from versioning_app.errors import PROBLEM_CONTENT_TYPE
from versioning_app.models import Status

pytestmark = pytest.mark.django_db

WRITES = ["post", "put", "patch", "delete"]


@pytest.fixture
def browser() -> Client:
    """A client that enforces CSRF, as a browser session meets it."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def retired() -> None:
    DeprecatedVersionFactory(version="0.9")
    VersionLifecycleFactory(version="0.9", status=Status.RETIRED)


def assert_problem(response: object, status: int, slug: str) -> None:
    assert response.status_code == status, response.content[:200]  # type: ignore[attr-defined]
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE  # type: ignore[index]
    assert response.json()["type"].endswith(slug)  # type: ignore[attr-defined]


@pytest.mark.parametrize("method", WRITES)
def test_a_write_under_a_retired_version_is_410_not_a_csrf_page(
    browser: Client, retired: None, method: str
) -> None:
    response = getattr(browser, method)("/api/v0/nope/", "{}", content_type="application/json")
    assert_problem(response, 410, "version-retired")
    assert response["API-Version"] == "0.9"


@pytest.mark.parametrize("method", WRITES)
@pytest.mark.parametrize("path", ["/api/v2/books/1/similar/", "/api/v2/nope/"])
def test_a_write_to_a_path_without_endpoint_is_404_not_a_csrf_page(
    browser: Client, method: str, path: str
) -> None:
    response = getattr(browser, method)(path, "{}", content_type="application/json")
    assert_problem(response, 404, "endpoint-not-in-version")
    assert response["API-Version"] == "2.1"
    assert "API-Version" in response["Vary"]


@pytest.mark.parametrize("method", WRITES)
def test_a_write_under_an_unknown_major_is_404_not_a_csrf_page(
    browser: Client, method: str
) -> None:
    response = getattr(browser, method)("/api/v9/books/", "{}", content_type="application/json")
    assert_problem(response, 404, "unknown-version")


def test_a_write_to_an_endpoint_still_meets_csrf(browser: Client) -> None:
    # Session users are protected by DRF's own CSRF check; anonymous writes are refused.
    response = browser.post("/api/v2/books/", "{}", content_type="application/json")
    assert response.status_code == 403
    assert response["API-Version"] == "2.1"


@pytest.mark.parametrize(
    ("query", "accept", "status"),
    [("?format=xml", None, 404), ("", "application/xml", 406)],
)
def test_a_failed_negotiation_carries_the_version_headers(
    client: Client, query: str, accept: str | None, status: int
) -> None:
    headers = {"Accept": accept} if accept else {}
    response = client.get(f"/api/v2/books/{query}", headers=headers)
    assert response.status_code == status
    assert response["API-Version"] == "2.1"
    assert "API-Version" in response["Vary"]


@pytest.mark.parametrize(("query", "accept"), [("?format=xml", None), ("", "application/xml")])
def test_a_retired_version_answers_410_before_negotiation(
    client: Client, retired: None, query: str, accept: str | None
) -> None:
    BookFactory()
    headers = {"Accept": accept} if accept else {}
    response = client.get(f"/api/v0/books/{query}", headers=headers)
    assert_problem(response, 410, "version-retired")
    assert response["API-Version"] == "0.9"


@pytest.mark.parametrize(("query", "accept"), [("?format=xml", None), ("", "application/xml")])
def test_a_bad_version_header_answers_400_before_negotiation(
    client: Client, query: str, accept: str | None
) -> None:
    headers = {"API-Version": "2.9", **({"Accept": accept} if accept else {})}
    response = client.get(f"/api/v2/books/{query}", headers=headers)
    assert_problem(response, 400, "invalid-version")

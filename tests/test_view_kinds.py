"""Every kind of DRF view is versioned: a generic view and a function view, beside the viewsets.

Also that the library's tests run against tests.testapp (the example has its own marker).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.checks import run_checks
from django.test import override_settings
from django.urls import resolve
from rest_framework.test import APIClient

from tests.settings import ROOT_URLCONF
from tests.testapp.factories import AuthorFactory, BookFactory
from tests.testapp.versions import VERSIONS
from tests.testapp.views import AuthorBooksView, BookViewSet, served_version
from versioning_app.conf import app_settings


@pytest.fixture(autouse=True)
def _view_kinds_urls() -> Iterator[None]:
    """The test API with the generic and the function view mounted too."""
    with override_settings(ROOT_URLCONF="tests.testapp.urls_view_kinds"):
        yield


def test_library_tests_run_against_the_test_app() -> None:
    with override_settings(ROOT_URLCONF=ROOT_URLCONF):
        assert resolve("/api/v3/books/").func.cls is BookViewSet
    assert ROOT_URLCONF == "tests.testapp.urls"
    assert app_settings.versions is VERSIONS


def test_the_view_kinds_are_mounted_in_every_major() -> None:
    for major in (1, 2, 3):
        assert resolve(f"/api/v{major}/authors/1/books/").func.view_class is AuthorBooksView
        assert resolve(f"/api/v{major}/served-version/").func is served_version


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "pinned", "served", "fields"),
    [
        ("/api/v1/", "1.0", "1.0", ["id", "title", "author_name", "published", "isbn"]),
        ("/api/v1/", None, "1.1", ["id", "title", "author_name", "published", "isbn", "pages"]),
        ("/api/v2/", "2.0", "2.0", ["id", "title", "authors", "publication_date", "isbn", "pages"]),
        (
            "/api/v3/",
            None,
            "3.0",
            ["id", "title", "authors", "publication_date", "isbn13", "language"],
        ),
    ],
)
def test_a_generic_view_serves_each_versions_shape(
    api: APIClient, url: str, pinned: str | None, served: str, fields: list[str]
) -> None:
    author = AuthorFactory(name="Ursula K. Le Guin")
    book = BookFactory(title="The Dispossessed", authors=[author])
    BookFactory()  # another author's book, not listed
    headers = {"HTTP_API_VERSION": pinned} if pinned else {}
    response = api.get(f"{url}authors/{author.pk}/books/", **headers)
    assert response.status_code == 200
    assert response["API-Version"] == served
    [item] = response.json()["results"]
    assert list(item) == fields
    assert (item["id"], item["title"]) == (book.pk, "The Dispossessed")
    if "author_name" in fields:
        assert item["author_name"] == "Ursula K. Le Guin"
    else:
        assert item["authors"] == [{"id": author.pk, "name": "Ursula K. Le Guin"}]


@pytest.mark.parametrize(
    ("url", "pinned", "served"),
    [
        ("/api/v1/served-version/", None, "1.1"),
        ("/api/v1/served-version/", "1.0", "1.0"),
        ("/api/v2/served-version/", "2.0", "2.0"),
        ("/api/v3/served-version/", None, "3.0"),
    ],
)
def test_a_function_view_is_served_in_the_requested_version(
    api: APIClient, url: str, pinned: str | None, served: str
) -> None:
    headers = {"HTTP_API_VERSION": pinned} if pinned else {}
    response = api.get(url, **headers)
    assert response.status_code == 200
    assert response["API-Version"] == served
    assert response.json() == {"version": served}


def test_a_function_view_rejects_a_version_of_another_major(api: APIClient) -> None:
    response = api.get("/api/v3/served-version/", HTTP_API_VERSION="2.0")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_the_view_kinds_pass_the_checks() -> None:
    assert [m for m in run_checks(include_deployment_checks=False) if not m.is_silenced()] == []

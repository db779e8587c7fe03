"""The example project's contract (SPEC section 6): endpoints, auth, pagination, demo seed."""

from __future__ import annotations

import base64
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.checks import run_checks
from django.core.management import call_command
from django.urls import resolve
from rest_framework.test import APIClient

from example_project.library.factories import AuthorFactory, BookFactory
from example_project.library.models import Author, Book
from example_project.library.versions import VERSIONS
from example_project.library.views import BookViewSet
from versioning_app import VersionNumber
from versioning_app.checks import check_bundle
from versioning_app.conf import app_settings

pytestmark = pytest.mark.example

ONE_X = {"book-list", "book-detail", "book-similar"}
TWO_UP = {"book-list", "book-detail", "author-list", "author-detail"}
ENDPOINTS = {"1.0": ONE_X, "1.1": ONE_X, "2.0": TWO_UP, "2.1": TWO_UP, "3.0": TWO_UP}
PATHS = {
    "book-list": "books/",
    "book-detail": "books/{book}/",
    "book-similar": "books/{book}/similar/",
    "author-list": "authors/",
    "author-detail": "authors/{author}/",
}


def test_declared_versions() -> None:
    assert [str(version) for version in VERSIONS] == ["0.9", "1.0", "1.1", "2.0", "2.1", "3.0"]
    for version, routes in {**ENDPOINTS, "0.9": ONE_X}.items():
        number = VersionNumber.parse(version)
        served = {route for route in PATHS if VERSIONS.endpoints.route_in_version(route, number)}
        assert served == routes, version


def test_the_contract_runs_against_the_example() -> None:
    """The ``example`` marker serves the example's URLs and versions, not tests.testapp's."""
    assert resolve("/api/v3/books/").func.cls is BookViewSet
    assert app_settings.versions is VERSIONS


def test_the_example_passes_all_checks() -> None:
    assert check_bundle(VERSIONS) == []
    assert [m for m in run_checks(include_deployment_checks=False) if not m.is_silenced()] == []
    call_command("check", "--fail-level", "WARNING")


def test_the_example_has_no_breaking_minor() -> None:
    """The example's minors only add: the command succeeds and names the pairs it compared."""
    out = StringIO()
    call_command("api_compat", stdout=out)
    assert "No breaking changes (1.0 -> 1.1, 2.0 -> 2.1)" in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("version", list(ENDPOINTS))
@pytest.mark.parametrize("route", list(PATHS))
def test_endpoints_per_version(api: APIClient, version: str, route: str) -> None:
    book = BookFactory(authors=[AuthorFactory(), AuthorFactory()])
    url = f"/api/v{version[0]}/" + PATHS[route].format(book=book.pk, author=book.authors.first().pk)
    response = api.get(url, HTTP_API_VERSION=version)
    if route in ENDPOINTS[version]:
        assert response.status_code == 200
        assert response["API-Version"] == version
    else:
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"


@pytest.mark.django_db
def test_pagination_envelope(api: APIClient) -> None:
    BookFactory.create_batch(25)
    for major in (1, 2, 3):
        body = api.get(f"/api/v{major}/books/").json()
        assert list(body) == ["count", "next", "previous", "results"]
        assert body["count"] == 25
        assert len(body["results"]) == 20
        assert body["previous"] is None
    body = api.get("/api/v2/authors/?page=2").json()
    assert (body["count"], len(body["results"]), body["next"]) == (25, 5, None)


def _book(isbn13: str = "9780441478125") -> dict:
    return {
        "title": "The Dispossessed",
        "authors": [{"name": "Ursula K. Le Guin"}],
        "publication_date": "1974-05-01",
        "isbn13": isbn13,
        "language": "en",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v3/books/"),
        ("post", "/api/v2/authors/"),
        ("delete", "/api/v3/books/{book}/"),
        ("patch", "/api/v3/books/{book}/"),
    ],
)
def test_anonymous_clients_cannot_write(api: APIClient, method: str, path: str) -> None:
    book = BookFactory()
    response = getattr(api, method)(path.format(book=book.pk), _book(), format="json")
    assert response.status_code in (401, 403)
    assert Book.objects.count() == 1
    assert api.get(path.format(book=book.pk)).status_code == 200  # reading is open


@pytest.mark.django_db
def test_http_basic_writes(api: APIClient) -> None:
    get_user_model().objects.create_user("reader", password="s3cret-pass")
    token = base64.b64encode(b"reader:s3cret-pass").decode()
    api.credentials(HTTP_AUTHORIZATION=f"Basic {token}")
    response = api.post("/api/v3/books/", _book(), format="json")
    assert response.status_code == 201, response.content
    assert response["API-Version"] == "3.0"
    assert Book.objects.get(isbn13="9780441478125").authors.get().name == "Ursula K. Le Guin"
    response = api.post("/api/v2/authors/", {"name": "Octavia E. Butler"}, format="json")
    assert response.status_code == 201
    assert Author.objects.filter(name="Octavia E. Butler").exists()


@pytest.mark.django_db
def test_session_writes(api: APIClient, admin_user) -> None:
    api.force_login(admin_user)  # a real session cookie, through SessionAuthentication
    response = api.post("/api/v3/books/", _book(), format="json")
    assert response.status_code == 201


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_prints_the_login() -> None:
    first, second = StringIO(), StringIO()
    call_command("seed_demo", stdout=first)
    counts = (Book.objects.count(), Author.objects.count(), get_user_model().objects.count())
    call_command("seed_demo", stdout=second)
    assert (
        Book.objects.count(),
        Author.objects.count(),
        get_user_model().objects.count(),
    ) == counts
    # Terry Pratchett wrote two of the books; the users are admin, alice, bob and the inactive
    # HISTORY_USER to whom the admin history attributes the seeded lifecycle changes.
    assert counts == (6, 6, 4)
    assert not get_user_model().objects.get(username="api-lifecycle").is_active
    assert "6 created" in first.getvalue()
    assert "0 created" in second.getvalue()
    for output in (first, second):
        assert "admin / admin" in output.getvalue()
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and admin.check_password("admin")
    assert Book.objects.get(title="Good Omens").authors.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/books/297918202795942025472138805248/",  # found by schemathesis on Django 4.2
        "/api/v2/books/99999999999999999999/",
        "/api/v2/authors/99999999999999999999/",
        "/api/v1/books/99999999999999999999/similar/",
    ],
)
def test_ids_beyond_any_primary_key_are_404_problems(api: APIClient, path: str) -> None:
    # Before Django 5.0, SQLite lookups with such integers raised OverflowError (a 500).
    response = api.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"

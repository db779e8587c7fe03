"""Version resolution: served minors, the pinning header, SPEC section 2 errors, schema mocks."""

from __future__ import annotations

import json

import pytest
from django.test import override_settings
from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator
from rest_framework.exceptions import NotAcceptable
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from tests.support.declarations import METHOD_LEVEL_SETTINGS
from tests.support.factories import DeprecatedVersionFactory
from tests.testapp.factories import BookFactory
from tests.testapp.views import BookViewSet
from versioning_app import lifecycle
from versioning_app.errors import PROBLEM_CONTENT_TYPE
from versioning_app.versioning import APIVersioning

PROBLEM_MEMBERS = {"type", "title", "status", "detail"}
ALL_VERSIONS = ["0.9", "1.0", "1.1", "2.0", "2.1", "3.0"]


def problem(response, status: int) -> dict:
    """The problem+json body of ``response``, after checking its status and media type."""
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    body = json.loads(response.content)
    assert set(body) >= PROBLEM_MEMBERS
    assert body["status"] == status
    assert body["type"].startswith("urn:versioning-app:problem:")
    return body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "header", "served"),
    [
        ("/api/v0/books/", None, "0.9"),
        ("/api/v1/", None, "1.1"),
        ("/api/v1/books/", None, "1.1"),
        ("/api/v1/books/", "1.0", "1.0"),
        ("/api/v1/books/", "1.0.9", "1.0"),
        ("/api/v2/", None, "2.1"),
        ("/api/v2/books/", None, "2.1"),
        ("/api/v2/books/", "2.0", "2.0"),
        ("/api/v2/books/", "2.1", "2.1"),
        ("/api/v2/books/", "", "2.1"),  # an empty header is no header
        ("/api/v3/authors/", None, "3.0"),
    ],
)
def test_served_version(api: APIClient, path: str, header: str | None, served: str) -> None:
    extra = {} if header is None else {"HTTP_API_VERSION": header}
    response = api.get(path, **extra)
    assert response.status_code == 200
    assert response["API-Version"] == served


@pytest.mark.django_db
def test_detail_and_similar_served(api: APIClient) -> None:
    book = BookFactory()
    assert api.get(f"/api/v2/books/{book.pk}/")["API-Version"] == "2.1"
    response = api.get(f"/api/v1/books/{book.pk}/similar/", HTTP_API_VERSION="1.0")
    assert response.status_code == 200
    assert response["API-Version"] == "1.0"


@pytest.mark.parametrize(
    ("header", "detail"),
    [
        ("2.7", "names a version that does not exist"),
        ("2.1.1.1", "must be a version like 2.1"),
        ("1.0", "another major version than the URL (major 2)"),
        ("3.0", "another major version than the URL (major 2)"),
        ("0.9", "another major version than the URL (major 2)"),
    ],
)
def test_bad_header_is_400(api: APIClient, header: str, detail: str) -> None:
    body = problem(api.get("/api/v2/books/", HTTP_API_VERSION=header), 400)
    assert detail in body["detail"]
    assert body["available_versions"] == ["2.0", "2.1"]
    assert body["type"] == "urn:versioning-app:problem:invalid-version"


def test_unknown_major_is_404(api: APIClient) -> None:
    body = problem(api.get("/api/v9/books/"), 404)
    assert body["available_versions"] == ALL_VERSIONS
    assert body["type"] == "urn:versioning-app:problem:unknown-version"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "header", "version"),
    [
        ("/api/v2/books/1/similar/", None, "2.1"),
        ("/api/v2/books/1/similar/", "2.0", "2.0"),
        ("/api/v3/books/1/similar/", None, "3.0"),
        ("/api/v1/authors/", None, "1.1"),
        ("/api/v1/authors/", "1.0", "1.0"),
        ("/api/v0/authors/1/", None, "0.9"),
        ("/api/v1/authors/", "bad", "1.1"),  # a bad pin does not turn a 404 into a 400
    ],
)
def test_endpoint_absent_is_404(api: APIClient, path: str, header: str | None, version: str):
    extra = {} if header is None else {"HTTP_API_VERSION": header}
    response = api.get(path, **extra)
    body = problem(response, 404)
    assert body["type"] == "urn:versioning-app:problem:endpoint-not-in-version"
    assert body["version"] == version
    assert response["API-Version"] == version


# --- method-level and route-level changes with a test-only declaration ---

METHOD_LEVEL = METHOD_LEVEL_SETTINGS


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path", "header", "status"),
    [
        ("post", "/api/v1/books/", "1.0", 404),  # POST on book-list arrives in 1.1
        ("post", "/api/v1/books/", "1.1", 400),  # exists: the empty body fails validation
        ("post", "/api/v1/books/", None, 400),
        ("get", "/api/v1/books/", "1.0", 200),  # GET was always there
        ("delete", "/api/v2/books/{pk}/", "2.1", 404),  # DELETE on book-detail leaves in 2.1
        ("delete", "/api/v2/books/{pk}/", None, 404),
        ("get", "/api/v2/books/{pk}/", "2.1", 200),
        ("delete", "/api/v2/books/{pk}/", "2.0", 204),
        ("get", "/api/v2/books/{pk}/similar/", "2.0", 404),  # removed in 2.0 ...
        ("get", "/api/v2/books/{pk}/similar/", "2.1", 200),  # ... re-added in 2.1
        ("get", "/api/v1/books/{pk}/similar/", "1.0", 200),
        ("head", "/api/v2/books/{pk}/similar/", "2.0", 404),  # HEAD follows GET
        ("options", "/api/v1/books/", "1.0", 200),  # OPTIONS describes a route that exists
        # author-list arrives method by method (GET in 2.0, POST in 2.1): 1.x has no such
        # route, for any method, OPTIONS and the ones the view never had included.
        ("options", "/api/v1/authors/", "1.0", 404),
        ("options", "/api/v1/authors/", None, 404),
        ("put", "/api/v1/authors/", "1.1", 404),
        ("post", "/api/v1/authors/", None, 404),
        ("get", "/api/v2/authors/", "2.0", 200),
        ("options", "/api/v2/authors/", "2.0", 200),
        ("post", "/api/v2/authors/", "2.0", 404),  # a declared method the version lacks
        ("put", "/api/v2/authors/", "2.0", 405),  # a method the view never had: DRF's 405
        ("options", "/api/v2/books/{pk}/similar/", "2.0", 404),  # removed whole in 2.0
        ("put", "/api/v2/books/{pk}/similar/", "2.0", 404),
        ("options", "/api/v2/books/{pk}/similar/", "2.1", 200),
    ],
)
def test_method_level_changes(
    admin_api: APIClient, method: str, path: str, header: str | None, status: int
) -> None:
    book = BookFactory()
    extra = {} if header is None else {"HTTP_API_VERSION": header}
    with override_settings(**METHOD_LEVEL):
        response = getattr(admin_api, method)(path.format(pk=book.pk), **extra)
    assert response.status_code == status
    if status == 404 and method != "head":
        problem(response, 404)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "header", "status"),
    [
        ("/api/v1/authors/", "1.0", 404),  # no such route in 1.x: 404 for a made-up method too
        ("/api/v2/books/{pk}/similar/", "2.0", 404),
        ("/api/v2/authors/", "2.0", 405),  # the route exists: DRF's 405
    ],
)
def test_unknown_method_on_a_route_the_version_lacks(
    admin_api: APIClient, path: str, header: str, status: int
) -> None:
    book = BookFactory()
    with override_settings(**METHOD_LEVEL):
        response = admin_api.generic("PURGE", path.format(pk=book.pk), HTTP_API_VERSION=header)
    assert response.status_code == status
    if status == 404:
        assert problem(response, 404)["version"] == header


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "header", "allowed", "actions"),
    [
        ("/api/v2/authors/", "2.0", {"GET", "HEAD", "OPTIONS"}, set()),  # POST arrives in 2.1
        ("/api/v2/authors/", "2.1", {"GET", "POST", "HEAD", "OPTIONS"}, {"POST"}),
        ("/api/v1/books/", "1.0", {"GET", "HEAD", "OPTIONS"}, set()),  # POST arrives in 1.1
        ("/api/v1/books/", "1.1", {"GET", "POST", "HEAD", "OPTIONS"}, {"POST"}),
        ("/api/v2/books/{pk}/", "2.1", {"GET", "PUT", "PATCH", "HEAD", "OPTIONS"}, {"PUT"}),
    ],
)
def test_options_metadata_describes_only_the_served_versions_methods(
    admin_api: APIClient, path: str, header: str, allowed: set[str], actions: set[str]
) -> None:
    book = BookFactory()
    with override_settings(**METHOD_LEVEL):
        response = admin_api.options(path.format(pk=book.pk), HTTP_API_VERSION=header)
    assert response.status_code == 200
    assert response["API-Version"] == header
    assert {method.strip() for method in response["Allow"].split(",")} == allowed
    body = response.json()
    assert set(body.get("actions", {})) == actions
    assert actions <= allowed  # the metadata never describes a method Allow leaves out
    if "POST" in actions:
        assert "name" in body["actions"]["POST"] or "title" in body["actions"]["POST"]


# --- the drf-spectacular mock path: request.version preset ---


def _mock(path: str, version: str, method: str = "get") -> tuple[APIVersioning, Request]:
    request = Request(getattr(APIRequestFactory(), method)(path))
    request.resolver_match = resolve(path)
    request.version = version
    return APIVersioning(), request


@pytest.mark.parametrize(
    ("path", "version"),
    [
        ("/api/v2/books/", "2.0"),
        ("/api/v2/books/", "2.1"),
        ("/api/v1/books/1/similar/", "1.0"),
        ("/api/v3/authors/", "3.0"),
    ],
)
def test_schema_mock_returns_exactly_the_preset(path: str, version: str) -> None:
    versioning, request = _mock(path, version)
    assert versioning.determine_version(request) == version
    assert not hasattr(request._request, "api_decision")  # no headers for a mock


@pytest.mark.parametrize(
    ("path", "version"),
    [
        ("/api/v2/books/", "1.0"),  # another major
        ("/api/v2/books/", "2.7"),  # unknown minor
        ("/api/v2/books/", "v2"),
        ("/api/v2/books/", "\r\n"),
        ("/api/v1/books/", "1.0.0.0"),
    ],
)
def test_schema_mock_raises_not_acceptable(path: str, version: str) -> None:
    versioning, request = _mock(path, version)
    with pytest.raises(NotAcceptable):
        versioning.determine_version(request)


def test_schema_mock_endpoint_absent_raises_not_acceptable() -> None:
    with override_settings(**METHOD_LEVEL):
        versioning, request = _mock("/api/v1/books/", "1.0", method="post")
        with pytest.raises(NotAcceptable):
            versioning.determine_version(request)
        versioning, request = _mock("/api/v1/books/", "1.1", method="post")
        assert versioning.determine_version(request) == "1.1"


def test_version_on_the_django_request_is_not_a_schema_mock() -> None:
    # Only drf-spectacular's mock sets ``version`` on the DRF request itself; an attribute
    # that some middleware left on the underlying HttpRequest must not pin the version.
    django_request = APIRequestFactory().get("/api/v2/books/")
    django_request.resolver_match = resolve("/api/v2/books/")
    django_request.version = "2.0"
    request = Request(django_request)
    assert APIVersioning().determine_version(request) == "2.1"


def _operations(version: str) -> set[tuple[str, str]]:
    schema = SchemaGenerator(api_version=version).get_schema(public=True)
    return {(path, method) for path, item in schema["paths"].items() for method in item}


BOOKS = {"get", "post"}
DETAIL = {"get", "put", "patch", "delete"}


@pytest.mark.parametrize(
    ("version", "paths"),
    [
        ("0.9", {"books/": BOOKS, "books/{id}/": DETAIL, "books/{id}/similar/": {"get"}}),
        ("1.0", {"books/": BOOKS, "books/{id}/": DETAIL, "books/{id}/similar/": {"get"}}),
        ("1.1", {"books/": BOOKS, "books/{id}/": DETAIL, "books/{id}/similar/": {"get"}}),
        (
            "2.0",
            {"books/": BOOKS, "books/{id}/": DETAIL, "authors/": BOOKS, "authors/{id}/": DETAIL},
        ),
        (
            "2.1",
            {"books/": BOOKS, "books/{id}/": DETAIL, "authors/": BOOKS, "authors/{id}/": DETAIL},
        ),
        (
            "3.0",
            {"books/": BOOKS, "books/{id}/": DETAIL, "authors/": BOOKS, "authors/{id}/": DETAIL},
        ),
    ],
)
def test_schema_per_version(version: str, paths: dict[str, set[str]]) -> None:
    prefix = f"/api/v{version.split('.')[0]}/"
    expected = {(prefix + path, method) for path, methods in paths.items() for method in methods}
    assert _operations(version) == expected


def test_schema_of_unknown_version_is_empty() -> None:
    assert _operations("2.7") == set()


def test_schema_method_level() -> None:
    with override_settings(**METHOD_LEVEL):
        assert ("/api/v1/books/", "post") not in _operations("1.0")
        assert ("/api/v1/books/", "post") in _operations("1.1")
        assert ("/api/v2/books/{id}/", "delete") in _operations("2.0")
        assert ("/api/v2/books/{id}/", "delete") not in _operations("2.1")
        # author-list arrives method by method: no operation of it before 2.0, POST from 2.1.
        assert not {op for op in _operations("1.1") if op[0] == "/api/v1/authors/"}
        assert ("/api/v1/authors/{id}/", "get") in _operations("1.1")  # author-detail: unchanged
        assert ("/api/v2/authors/", "get") in _operations("2.0")
        assert ("/api/v2/authors/", "post") not in _operations("2.0")
        assert ("/api/v2/authors/", "post") in _operations("2.1")


# --- hostile tokens in the version header ---

HOSTILE_TOKENS = [
    "\r\nSet-Cookie: x=1",
    "2.1\r\nSet-Cookie: x=1",
    "\r",
    "\n",
    "2.0\n",
    "\x00",
    "2.0\x00",
    "\x00\x00\x00\x00",
    "\x07",
    "\x1b[2J",
    "\x7f",
    "\t",
    "2.0\t",
    "\x0b2.0",
    "a" * 10_000,
    "2." + "0" * 10_000,
    "1" * 17,
    "\uff12.\uff10",  # fullwidth digits
    "\u0662.\u0660",  # Arabic-Indic digits
    "\u06f2.\u06f0",  # extended Arabic-Indic digits
    "\u0968.\u0966",  # Devanagari digits
    "2\u2024 0",  # one-dot leader
    "2\u00b70",  # middle dot
    "\u00b2.\u2070",  # superscripts
    "2.0\u200b",  # zero-width space
    "\ufeff2.0",  # byte order mark
    "${jndi:ldap://x/a}",
    "${jndi:ldap://127.0.0.1:1389/Basic/Command/calc}",
    "1.0' OR '1'='1",
    "2.0; DROP TABLE library_book; --",
    "../../etc/passwd",
    "..%2f..%2fetc%2fpasswd",
    "%2e%2e",
    "%0d%0aSet-Cookie:%20x=1",
    "1.0.0.0.0",
    "2.0.0.0",
    "-1.0",
    "2.-1",
    "99999999999.0",
    "2.99999999999",
    "1e3",
    "2e0",
    "0x1.0",
    "0b10.0",
    "2.0 ",
    " 2.0",
    " ",
    "  ",
    ".",
    "..",
    "1..0",
    "1.",
    ".1",
    "v2",
    "v2.0",
    "V2.1",
    "2",
    "02.0",
    "2.01",
    "2,0",
    "2.1;q=1",
    "2.1, 2.0",
    "2.0,",
    "*",
    "null",
    "None",
    "undefined",
    "true",
    "[]",
    "{}",
    '{"version": "2.0"}',
    "<script>alert(1)</script>",
    "{{7*7}}",
    "%s%s%s%n",
    "\U0001f600",
    "2.0\U0001f600",
    "\u202e0.2",  # right-to-left override
    "+2.0",
    "2.0+build",
    "2.0-beta",
    "=2.0",
    "~2.0",
    "latest",
]


def _environ_value(token: str) -> str:
    # A WSGI server decodes header bytes as latin-1; UTF-8 input arrives as mojibake.
    return token.encode("utf-8").decode("latin-1")


@pytest.fixture(scope="module")
def malformed_baseline() -> tuple[bytes, dict[str, str]]:
    response = APIClient().get("/api/v2/books/", HTTP_API_VERSION="x")
    return response.content, dict(response.headers)


def test_hostile_table_is_big_enough() -> None:
    assert len(set(HOSTILE_TOKENS)) == len(HOSTILE_TOKENS) >= 50


@pytest.mark.parametrize("raw_unicode", [False, True], ids=["wsgi", "unicode"])
@pytest.mark.parametrize("token", HOSTILE_TOKENS, ids=lambda t: repr(t[:24]))
def test_hostile_header_token(
    api: APIClient, malformed_baseline: tuple[bytes, dict], token: str, raw_unicode: bool
) -> None:
    value = token if raw_unicode else _environ_value(token)
    response = api.get("/api/v2/books/", HTTP_API_VERSION=value)
    body = problem(response, 400)
    assert set(body) == PROBLEM_MEMBERS | {"available_versions"}
    # Byte for byte the answer to any malformed header: nothing of the token got in.
    assert (response.content, dict(response.headers)) == malformed_baseline
    text = response.content.decode()
    for needle in {token, value, token.strip()} - {""}:
        if needle not in malformed_baseline[0].decode():
            assert needle not in text
            assert all(needle not in header for header in response.headers.values())


def _call_view(token: str):
    """The book list view called directly, with ``token`` as the raw header value."""
    request = APIRequestFactory().get("/api/v1/books/", HTTP_API_VERSION=token)
    request.resolver_match = resolve("/api/v1/books/")
    return BookViewSet.as_view({"get": "list"})(request)


@pytest.mark.parametrize("token", HOSTILE_TOKENS, ids=lambda t: repr(t[:24]))
def test_hostile_header_token_on_the_view(token: str) -> None:
    # Straight into the view, bypassing the URL resolver, the middleware and the test client.
    response = _call_view(token)
    body = problem(response, 400)
    assert body["available_versions"] == ["1.0", "1.1"]
    baseline = _call_view("x")
    assert response.content == baseline.content
    assert dict(response.headers) == dict(baseline.headers)


@pytest.mark.parametrize("token", HOSTILE_TOKENS[:20], ids=lambda t: repr(t[:24]))
def test_hostile_header_token_on_an_absent_endpoint(api: APIClient, token: str) -> None:
    # The catch-all 404 ignores a bad pin and serves the newest minor; it never echoes it.
    response = api.get("/api/v1/authors/", HTTP_API_VERSION=_environ_value(token))
    body = problem(response, 404)
    assert body["version"] == response["API-Version"] == "1.1"


# --- the versioning path adds no query ---


@pytest.mark.django_db
@pytest.mark.parametrize("header", [None, "2.0"])
def test_versioning_adds_no_query(
    api: APIClient, django_assert_num_queries, header: str | None
) -> None:
    books = BookFactory.create_batch(3)
    extra = {} if header is None else {"HTTP_API_VERSION": header}
    with django_assert_num_queries(3):  # the view's own: count, page of books, their authors
        assert api.get("/api/v2/books/", **extra).status_code == 200
    with django_assert_num_queries(2):  # the view's own: the book, its authors
        assert api.get(f"/api/v2/books/{books[0].pk}/", **extra).status_code == 200
    with django_assert_num_queries(0):  # a version error is decided before the view
        assert api.get("/api/v2/books/", HTTP_API_VERSION="9.9").status_code == 400
        assert api.get("/api/v1/authors/").status_code == 404


# --- a lifecycle change reaches requests already served the same way ---


@pytest.mark.django_db
def test_a_lifecycle_change_reaches_the_next_identical_request(api: APIClient) -> None:
    assert api.get("/api/v1/books/", HTTP_API_VERSION="1.0").status_code == 200
    DeprecatedVersionFactory(version="1.0")
    response = api.get("/api/v1/books/", HTTP_API_VERSION="1.0")
    assert response.status_code == 200
    assert "Deprecation" in response
    lifecycle.retire("1.0")
    body = problem(api.get("/api/v1/books/", HTTP_API_VERSION="1.0"), 410)
    assert body["type"] == "urn:versioning-app:problem:version-retired"


@pytest.mark.django_db
def test_client_chosen_methods_and_header_spellings_are_served_alike(api: APIClient) -> None:
    # Bounded caches under client-chosen methods: tests/test_decision.py.
    for method in ("GET", "HEAD", "OPTIONS", "PURGE", "LINK", "UNLINK"):
        response = api.generic(method, "/api/v2/books/")
        assert response["API-Version"] == "2.1"
    for header in ("2.0", "2.0.1", "2.0.2"):
        assert api.get("/api/v2/books/", HTTP_API_VERSION=header)["API-Version"] == "2.0"

"""Endpoint presence per version, the namespace per major, reversing and hyperlinks."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, override_settings
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse
from rest_framework.request import Request
from rest_framework.reverse import reverse as drf_reverse
from rest_framework.test import APIClient, APIRequestFactory

from tests.testapp.factories import AuthorFactory, BookFactory
from tests.testapp.urls import router
from versioning_app import Version, VersionBundle, VersionNumber
from versioning_app.changes import HTTP_METHODS, EndpointAdded, EndpointRemoved
from versioning_app.conf import app_settings
from versioning_app.errors import PROBLEM_CONTENT_TYPE
from versioning_app.routing import filter_patterns, versioned_urls
from versioning_app.versioning import APIVersioning
from versioning_app.versions import EndpointIndex, VersionDeclarationError, major_from_namespace

# route "r" through versions 1.0 .. 1.4 with the changes in the middle column.
ROUTE_CASES = [
    ("unchanged route", {}, "GET", [True, True, True, True, True]),
    ("added in 1.2", {"1.2": [EndpointAdded("r")]}, "GET", [False, False, True, True, True]),
    (
        "removed in 1.2",
        {"1.2": [EndpointRemoved("r")]},
        "DELETE",
        [True, True, False, False, False],
    ),
    (
        "added then removed",
        {"1.1": [EndpointAdded("r")], "1.3": [EndpointRemoved("r")]},
        "GET",
        [False, True, True, False, False],
    ),
    (
        "removed then re-added",
        {"1.1": [EndpointRemoved("r")], "1.3": [EndpointAdded("r")]},
        "GET",
        [True, False, False, True, True],
    ),
    (
        "method added: that method",
        {"1.2": [EndpointAdded("r", "POST")]},
        "POST",
        [False, False, True, True, True],
    ),
    (
        "method added: other method",
        {"1.2": [EndpointAdded("r", "POST")]},
        "GET",
        [True, True, True, True, True],
    ),
    (
        "method removed: that method",
        {"1.3": [EndpointRemoved("r", "DELETE", "PUT")]},
        "PUT",
        [True, True, True, False, False],
    ),
    (
        "method removed: other method",
        {"1.3": [EndpointRemoved("r", "DELETE")]},
        "GET",
        [True, True, True, True, True],
    ),
    (
        "route added, one method removed later",
        {"1.1": [EndpointAdded("r")], "1.3": [EndpointRemoved("r", "POST")]},
        "POST",
        [False, True, True, False, False],
    ),
    (
        "route added, other method untouched by the later removal",
        {"1.1": [EndpointAdded("r")], "1.3": [EndpointRemoved("r", "POST")]},
        "GET",
        [False, True, True, True, True],
    ),
    (
        "another route's change",
        {"1.2": [EndpointRemoved("other")]},
        "GET",
        [True, True, True, True, True],
    ),
]


@pytest.mark.parametrize(
    ("changes", "method", "expected"),
    [case[1:] for case in ROUTE_CASES],
    ids=[case[0] for case in ROUTE_CASES],
)
def test_endpoint_index(changes: dict, method: str, expected: list[bool]) -> None:
    numbers = ["1.0", "1.1", "1.2", "1.3", "1.4"]
    bundle = VersionBundle(*(Version(n, *changes.get(n, [])) for n in numbers))
    index = EndpointIndex(bundle)
    got = [index.available("r", method, VersionNumber.parse(n)) for n in numbers]
    assert got == expected
    assert got == [index.available("r", method, VersionNumber.parse(n)) for n in numbers]


def _sizes(index: EndpointIndex) -> dict[str, int]:
    """The size of each container the index holds."""
    return {name: len(value) for name, value in vars(index).items() if hasattr(value, "__len__")}


def test_endpoint_index_is_complete_when_built_and_never_grows() -> None:
    bundle = VersionBundle(
        Version("1.0"),
        Version("1.1", EndpointAdded("r")),
        Version("1.2", EndpointRemoved("r", "POST")),
    )
    index = EndpointIndex(bundle)
    built = _sizes(index)
    declared = [version.number for version in bundle]
    # Any method a client sends, any version asked about: answered, never remembered.
    for method in ("PURGE", "XQZWTRPLMNBVC", "get", *sorted(HTTP_METHODS)):
        for number in (*declared, VersionNumber(0, 9), VersionNumber(1, 5)):
            index.available("r", method, number)
            index.available("s", method, number)
    assert _sizes(index) == built
    # A route added whole exists for every method from 1.1, even one no change names.
    assert [index.available("r", "PURGE", n) for n in declared] == [False, True, True]
    assert index.available("r", "POST", VersionNumber(1, 5)) is False
    assert index.available("r", "POST", VersionNumber(1, 1)) is True
    assert index.available("r", "GET", VersionNumber(0, 9)) is False
    assert index.available("s", "PURGE", VersionNumber(0, 9)) is True


@pytest.mark.django_db
def test_client_chosen_methods_do_not_grow_the_endpoint_index(
    api: APIClient, admin_user: Any
) -> None:
    api.force_authenticate(admin_user)
    author = AuthorFactory()
    index = app_settings.versions.endpoints
    assert "author-detail" in index.routes
    built = _sizes(index)
    for method in ("PURGE", "LINK", *(f"X{letter * 12}" for letter in "ABCDEFGHIJ")):
        response = api.generic(method, f"/api/v2/authors/{author.pk}/")
        assert response.status_code == 405
        assert response["API-Version"] == "2.1"
    assert _sizes(index) == built


def test_route_in_version_and_routes() -> None:
    bundle = VersionBundle(
        Version("1.0"),
        Version("1.1", EndpointRemoved("r", *("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"))),
        Version("1.2", EndpointRemoved("r", "OPTIONS"), EndpointAdded("s", "POST")),
    )
    index = bundle.endpoints
    assert index.routes == {"r", "s"}
    assert [index.route_in_version("r", v.number) for v in bundle] == [True, True, False]
    assert [index.route_in_version("s", v.number) for v in bundle] == [True, True, True]


def _namespaces() -> dict[str, set[str]]:
    """The route names of each major's namespace in the project's URLconf."""
    return {
        namespace: {p.name for p in resolver.url_patterns if p.name}
        for namespace, (_prefix, resolver) in get_resolver().namespace_dict.items()
        if major_from_namespace(namespace) is not None
    }


def test_one_namespace_per_major() -> None:
    namespaces = _namespaces()
    assert sorted(namespaces) == ["v0", "v1", "v2", "v3"]
    for name in ("v0", "v1"):
        assert "book-similar" in namespaces[name]
        assert not {"author-list", "author-detail"} & namespaces[name]
    for name in ("v2", "v3"):
        assert {"author-list", "author-detail"} <= namespaces[name]
        assert "book-similar" not in namespaces[name]
    assert all({"api-root", "book-list", "book-detail"} <= names for names in namespaces.values())


@pytest.mark.parametrize(
    ("name", "kwargs", "url"),
    [
        ("v2:book-list", {}, "/api/v2/books/"),
        ("v0:book-detail", {"pk": 3}, "/api/v0/books/3/"),
        ("v1:book-similar", {"pk": 3}, "/api/v1/books/3/similar/"),
        ("v3:author-list", {}, "/api/v3/authors/"),
        ("v2:api-root", {}, "/api/v2/"),
    ],
)
def test_django_reverse(name: str, kwargs: dict, url: str) -> None:
    assert reverse(name, kwargs=kwargs) == url


@pytest.mark.parametrize("name", ["v2:book-similar", "v1:author-list", "v9:book-list"])
def test_django_reverse_refuses_routes_a_major_never_serves(name: str) -> None:
    with pytest.raises(NoReverseMatch):
        reverse(name, kwargs={"pk": 1} if "similar" in name else {})


@pytest.mark.parametrize(("version", "prefix"), [("2.0", "/api/v2/"), ("1.1", "/api/v1/")])
def test_drf_reverse_uses_the_served_major(version: str, prefix: str) -> None:
    request = Request(APIRequestFactory().get(f"{prefix}books/"))
    request.versioning_scheme = APIVersioning()
    request.version = version
    assert drf_reverse("book-list", request=request) == f"http://testserver{prefix}books/"


@pytest.mark.parametrize(
    ("prefix", "links"),
    [
        ("/api/v1/", {"books": "http://testserver/api/v1/books/"}),
        (
            "/api/v2/",
            {
                "books": "http://testserver/api/v2/books/",
                "authors": "http://testserver/api/v2/authors/",
            },
        ),
    ],
)
def test_api_root_lists_its_own_major_only(api: APIClient, prefix: str, links: dict) -> None:
    response = api.get(prefix)
    assert response.status_code == 200
    assert response.json() == links


@pytest.mark.django_db
@pytest.mark.parametrize("major", [1, 2, 3])
def test_pagination_links_stay_in_the_major(api: APIClient, major: int) -> None:
    BookFactory.create_batch(21)
    body = api.get(f"/api/v{major}/books/").json()
    assert body["next"] == f"http://testserver/api/v{major}/books/?page=2"
    assert api.get(body["next"]).json()["previous"] == f"http://testserver/api/v{major}/books/"


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("/api/v2/books", "/api/v2/books/"),
        ("/api/v2", "/api/v2/"),
        ("/api/v1/books/7/similar", "/api/v1/books/7/similar/"),
        ("/api/v2/books?page=2", "/api/v2/books/?page=2"),
    ],
)
def test_append_slash_still_redirects(api: APIClient, path: str, location: str) -> None:
    response = api.get(path)
    assert response.status_code == 301
    assert response["Location"] == location


@pytest.mark.parametrize(
    "path",
    [
        "/api/v2/nothing/",
        "/api/v2/nothing",
        "/api/v1/authors",  # the redirect target would only be the catch-all
        "/api/v2/books/1/similar",
        "/api/v9/books",
        "/api/v2/books/1/2/3/",
    ],
)
def test_unknown_paths_are_problems(api: APIClient, path: str) -> None:
    response = api.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    assert response.json()["status"] == 404


def test_post_without_slash_is_a_problem_not_a_redirect(api: APIClient) -> None:
    response = api.post("/api/v2/books", {})
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE


def test_filter_patterns_recurses_into_includes() -> None:
    from django.urls import include, path

    def view(request):  # pragma: no cover - never called
        raise AssertionError

    patterns = [
        path("a/", view, name="a"),
        path("n/", include(([path("b/", view, name="b"), path("c/", view)], "app"))),
    ]
    kept = filter_patterns(patterns, lambda name: name != "b")
    assert [p.name for p in kept if not isinstance(p, URLResolver)] == ["a"]
    inner = kept[1]
    assert isinstance(inner, URLResolver)
    assert inner.app_name == "app"
    assert [str(p.pattern) for p in inner.url_patterns] == ["c/"]


# Tokens in the major segment of the URL; see test_versioning.HOSTILE_TOKENS for the header.
URL_TOKENS = [
    "\r\nSet-Cookie: x=1",
    "\x00",
    "\x1b[31m",
    "a" * 10_000,
    "\uff12",
    "\u0662",
    "${jndi:ldap://x/a}",
    "2' OR '1'='1",
    "../../etc/passwd",
    "%2e%2e",
    "-1",
    "99999999999",
    "1e3",
    "0x2",
    "2 ",
    " 2",
    "2.0",
    "2.1",
    "02",
    "\U0001f600",
    "<script>alert(1)</script>",
    "2;q=1",
    "",
]


def assert_not_reflected(response, baseline, token: str) -> None:
    """The response is the baseline response byte for byte: nothing of ``token`` got in."""
    assert response.content == baseline.content
    assert dict(response.headers) == dict(baseline.headers)
    text = response.content.decode("utf-8", "replace")
    for value in {token, quote(token, safe=""), token.strip()} - {""}:
        if value not in baseline.content.decode():
            assert value not in text
            assert all(value not in header for header in response.headers.values())


@pytest.mark.parametrize("token", URL_TOKENS, ids=lambda t: repr(t[:20]))
def test_hostile_major_in_url(api: APIClient, token: str) -> None:
    response = api.get(f"/api/v{quote(token, safe='')}/books/")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    body = response.json()
    assert set(body) == {"type", "title", "status", "detail", "available_versions"}
    assert body["available_versions"] == ["0.9", "1.0", "1.1", "2.0", "2.1", "3.0"]
    assert_not_reflected(response, api.get("/api/v9/books/"), token)


@pytest.mark.parametrize("token", URL_TOKENS, ids=lambda t: repr(t[:20]))
def test_hostile_segment_under_api(api: APIClient, token: str) -> None:
    # Outside a vN segment the path is not ours: the project's 404, never a 5xx or an echo.
    response = api.get(f"/api/{quote(token, safe='')}/")
    assert response.status_code == 404
    assert_not_reflected(response, api.get("/api/nothing-here/"), token)


@pytest.mark.parametrize("prefix", ["", "api/"])
def test_a_broken_declaration_is_raised_again_on_request(prefix: str) -> None:
    with override_settings(VERSIONING_APP={"VERSIONS": "tests.support.declarations.UNORDERED"}):
        (pattern,) = versioned_urls(router.urls, prefix=prefix)
        assert pattern.resolve(f"{prefix}v1/books/") is not None
        with pytest.raises(VersionDeclarationError, match="oldest first"):
            pattern.callback(RequestFactory().get("/api/v1/books/"))


def test_spliced_namespaces_sit_at_the_top_of_the_urlconf() -> None:
    # The test app splices the API in with prefix="api/": one resolver level per request.
    tops = [entry for entry in get_resolver().url_patterns if isinstance(entry, URLResolver)]
    assert [(str(e.pattern), e.namespace) for e in tops[:4]] == [
        ("api/v3/", "v3"),
        ("api/v2/", "v2"),
        ("api/v1/", "v1"),
        ("api/v0/", "v0"),
    ]


MOUNT_PATHS = [
    "/api/v3/",
    "/api/v3/books/",
    "/api/v1/books/1/similar/",
    "/api/v1/authors/",
    "/api/v2/books",
    "/api/v9/books/",
    "/api/v2/nothing/",
    "/api/vx/",
    "/api/schema/",
]


@pytest.mark.django_db
def test_spliced_and_included_mounts_serve_the_same_api(api: APIClient) -> None:
    BookFactory(pk=1)
    spliced = {path: api.get(path) for path in MOUNT_PATHS}
    with override_settings(ROOT_URLCONF="tests.support.urlconfs.included"):
        included = {path: api.get(path) for path in MOUNT_PATHS}
    for path in MOUNT_PATHS:
        a, b = spliced[path], included[path]
        assert (a.status_code, a.content) == (b.status_code, b.content), path
        assert a.get("API-Version") == b.get("API-Version"), path
        assert a.get("Location") == b.get("Location"), path
    assert spliced["/api/v1/books/1/similar/"].status_code == 200
    assert spliced["/api/v2/books"].status_code == 301
    assert spliced["/api/v9/books/"].status_code == 404


@pytest.mark.parametrize("prefix", ["api", "/api/", "api/<int:x>/", "api//", "/"])
def test_prefix_must_be_a_literal_relative_path(prefix: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="literal path"):
        versioned_urls(router.urls, prefix=prefix)

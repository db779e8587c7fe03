"""Lifecycle on the wire (SPEC section 2): RFC 9745 Deprecation, RFC 8594 Sunset, Link, 410."""

from __future__ import annotations

import datetime
import json
import math
import re
from email.utils import parsedate_to_datetime

import pytest
from django.utils import timezone

from tests.support.factories import (
    DeprecatedVersionFactory,
    EndpointDeprecationFactory,
    VersionLifecycleFactory,
)
from tests.support.linkheader import links_by_rel, parse_links
from tests.testapp.factories import BookFactory
from tests.testapp.models import Book
from versioning_app.lifecycle.verdict import deprecation_value, link_value, sunset_value
from versioning_app.models import Status, VersionLifecycle

pytestmark = pytest.mark.django_db

SF_DATE = re.compile(r"@(-?\d+)")  # RFC 9651 structured-field Date


def deprecation_of(response) -> datetime.datetime:
    match = SF_DATE.fullmatch(response["Deprecation"])
    assert match, response["Deprecation"]
    return datetime.datetime.fromtimestamp(int(match.group(1)), tz=datetime.UTC)


def sunset_of(response) -> datetime.datetime:
    value = response["Sunset"]
    assert value.endswith(" GMT"), value  # an HTTP-date, IMF-fixdate
    return parsedate_to_datetime(value)


def floor_seconds(moment: datetime.datetime) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(math.floor(moment.timestamp()), tz=datetime.UTC)


@pytest.fixture
def book() -> Book:
    return BookFactory()


def test_value_formats() -> None:
    moment = datetime.datetime(2026, 3, 1, 12, 30, 15, 900000, tzinfo=datetime.UTC)
    assert deprecation_value(moment) == "@1772368215"
    assert sunset_value(moment) == "Sun, 01 Mar 2026 12:30:15 GMT"
    assert link_value("https://x.example/a b>\r\n", "deprecation") == (
        '<https://x.example/a%20b%3E%0D%0A>; rel="deprecation"'
    )


def test_stable_version_has_no_lifecycle_headers(api, book) -> None:
    response = api.get("/api/v2/books/")
    assert response.status_code == 200
    for header in ("Deprecation", "Sunset", "Link", "API-Lifecycle"):
        assert header not in response


def test_preview_version_says_so(api, book) -> None:
    VersionLifecycleFactory(version="3.0", status=Status.PREVIEW, released_at=None)
    response = api.get(f"/api/v3/books/{book.pk}/")
    assert response.status_code == 200
    assert response["API-Lifecycle"] == "preview"
    assert "Deprecation" not in response


def test_deprecated_version_sends_rfc_9745_8594_and_links(api, book) -> None:
    state = DeprecatedVersionFactory(version="1.1")
    response = api.get("/api/v1/books/")
    assert response.status_code == 200
    assert response["API-Version"] == "1.1"
    assert deprecation_of(response) == floor_seconds(state.deprecated_at)
    assert sunset_of(response) == floor_seconds(state.sunset_at)
    links = links_by_rel(response["Link"])
    assert links == {
        "deprecation": ["https://docs.example.com/migrate-to-v2"],
        "successor-version": ["/api/v2/books/"],  # the same resource in the successor
    }
    assert json.loads(response.content)["count"] == 1  # behaviour unchanged


def test_successor_link_points_at_the_same_resource_with_its_arguments(api, book) -> None:
    DeprecatedVersionFactory(version="1.1")
    response = api.get(f"/api/v1/books/{book.pk}/")
    assert links_by_rel(response["Link"])["successor-version"] == [f"/api/v2/books/{book.pk}/"]


def test_successor_link_falls_back_to_the_successor_root(api, book) -> None:
    """``books/{id}/similar/`` is gone in 2.0: the link points at the v2 API root."""
    DeprecatedVersionFactory(version="1.1")
    response = api.get(f"/api/v1/books/{book.pk}/similar/")
    assert response.status_code == 200
    assert links_by_rel(response["Link"])["successor-version"] == ["/api/v2/"]


def test_successor_in_the_same_major_keeps_the_url(api, book) -> None:
    DeprecatedVersionFactory(version="1.0", successor=VersionLifecycle.objects.get(version="1.1"))
    response = api.get("/api/v1/books/", HTTP_API_VERSION="1.0")
    assert response["API-Version"] == "1.0"
    assert links_by_rel(response["Link"])["successor-version"] == ["/api/v1/books/"]
    assert "Deprecation" not in api.get("/api/v1/books/")  # 1.1 itself is stable


def test_deprecation_without_sunset_link_or_successor(api, book) -> None:
    DeprecatedVersionFactory(version="1.1", sunset_at=None, successor=None, documentation_url="")
    response = api.get("/api/v1/books/")
    assert SF_DATE.fullmatch(response["Deprecation"])
    assert "Sunset" not in response
    assert "Link" not in response


def test_future_deprecation_date_is_announced(api, book) -> None:
    """RFC 9745 allows a date in the future: the resource will be deprecated then."""
    future = timezone.now() + datetime.timedelta(days=30)
    DeprecatedVersionFactory(version="1.1", deprecated_at=future, sunset_at=None)
    assert deprecation_of(api.get("/api/v1/books/")) == floor_seconds(future)


def test_errors_of_a_deprecated_version_carry_the_headers_too(api) -> None:
    DeprecatedVersionFactory(version="1.1")
    response = api.get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404
    assert SF_DATE.fullmatch(response["Deprecation"])
    assert links_by_rel(response["Link"])["successor-version"] == ["/api/v2/"]


@pytest.mark.parametrize("method", ["get", "post", "delete"])
@pytest.mark.parametrize(
    "path", ["/api/v0/books/", "/api/v0/books/1/", "/api/v0/nothing/here", "/api/v0/"]
)
def test_retired_version_answers_410_on_every_path(admin_api, book, method: str, path: str) -> None:
    DeprecatedVersionFactory(version="0.9")
    VersionLifecycleFactory(version="0.9", status=Status.RETIRED)
    response = getattr(admin_api, method)(path, {"title": "x"}, format="json")
    assert response.status_code == 410
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert body["status"] == 410
    assert body["type"].endswith("version-retired")
    assert body["successor"] == "2.0"
    assert "2.0" in body["detail"]
    assert response["API-Version"] == "0.9"
    links = links_by_rel(response["Link"])
    assert links["successor-version"][0].startswith("/api/v2/")
    assert links["deprecation"] == ["https://docs.example.com/migrate-to-v2"]
    assert Book.objects.count() == 1  # nothing ran


def test_past_sunset_is_gone_even_while_deprecated(api, book) -> None:
    DeprecatedVersionFactory(
        version="1.1",
        deprecated_at=timezone.now() - datetime.timedelta(days=10),
        sunset_at=timezone.now() - datetime.timedelta(seconds=1),
    )
    response = api.get(f"/api/v1/books/{book.pk}/")
    assert response.status_code == 410
    assert "past its sunset" in json.loads(response.content)["detail"]
    assert links_by_rel(response["Link"])["successor-version"] == [f"/api/v2/books/{book.pk}/"]


def test_retired_without_successor_names_the_newest_stable(api) -> None:
    VersionLifecycleFactory(version="0.9", status=Status.RETIRED)
    body = json.loads(api.get("/api/v0/books/").content)
    assert body["successor"] == "3.0"


def test_retired_pinned_minor_is_gone_but_the_major_still_serves(api, book) -> None:
    DeprecatedVersionFactory(version="1.0")
    VersionLifecycleFactory(version="1.0", status=Status.RETIRED)
    assert api.get("/api/v1/books/", HTTP_API_VERSION="1.0").status_code == 410
    assert api.get("/api/v1/books/").status_code == 200


def test_hostile_path_never_reaches_a_header(api) -> None:
    VersionLifecycleFactory(version="0.9", status=Status.RETIRED)
    response = api.get("/api/v0/x%0D%0ASet-Cookie:%20a=b/")
    assert response.status_code == 410
    assert "Set-Cookie" not in response
    parse_links(response["Link"])


# --- endpoint deprecations -------------------------------------------------------------------


def test_deprecated_endpoint_sends_its_own_headers(api, book) -> None:
    item = EndpointDeprecationFactory()  # book-similar from 1.0 on, every method
    response = api.get(f"/api/v1/books/{book.pk}/similar/")
    assert response.status_code == 200
    assert deprecation_of(response) == floor_seconds(item.deprecated_at)
    assert sunset_of(response) == floor_seconds(item.sunset_at)
    assert links_by_rel(response["Link"]) == {
        "deprecation": ["https://docs.example.com/similar-books"]
    }
    assert "Deprecation" not in api.get("/api/v1/books/")


def test_endpoint_deprecation_is_per_method(api, admin_api, book) -> None:
    EndpointDeprecationFactory(
        route="book-list", method="POST", from_version=VersionLifecycle.objects.get(version="2.1")
    )
    assert "Deprecation" not in api.get("/api/v2/books/")
    payload = {
        "title": "New",
        "authors": [{"name": "A"}],
        "publication_date": "2020-01-01",
        "isbn": "9780306406157",
        "language": "en",
    }
    created = admin_api.post("/api/v2/books/", payload, format="json")
    assert created.status_code == 201
    assert SF_DATE.fullmatch(created["Deprecation"])
    # From 2.1 on: 2.0 is not affected.
    assert "Deprecation" not in admin_api.post(
        "/api/v2/books/", {**payload, "isbn": "9780306406164"}, format="json",
        HTTP_API_VERSION="2.0",
    )  # fmt: skip


def test_head_counts_as_get_for_endpoint_deprecations(api, book) -> None:
    EndpointDeprecationFactory(method="GET")
    response = api.head(f"/api/v1/books/{book.pk}/similar/")
    assert response.status_code == 200
    assert SF_DATE.fullmatch(response["Deprecation"])


def test_version_and_endpoint_deprecated_send_the_earliest_dates_and_both_links(api, book) -> None:
    version = DeprecatedVersionFactory(version="1.1")
    item = EndpointDeprecationFactory(
        deprecated_at=version.deprecated_at - datetime.timedelta(days=5),
        sunset_at=version.sunset_at - datetime.timedelta(days=5),
    )
    response = api.get(f"/api/v1/books/{book.pk}/similar/")
    assert deprecation_of(response) == floor_seconds(item.deprecated_at)
    assert sunset_of(response) == floor_seconds(item.sunset_at)
    links = links_by_rel(response["Link"])
    assert links["deprecation"] == [
        "https://docs.example.com/migrate-to-v2",
        "https://docs.example.com/similar-books",
    ]
    assert links["successor-version"] == ["/api/v2/"]


def test_endpoint_past_sunset_answers_410_with_the_replacement(api, book) -> None:
    EndpointDeprecationFactory(sunset_at=timezone.now() - datetime.timedelta(minutes=1))
    response = api.get(f"/api/v1/books/{book.pk}/similar/")
    assert response.status_code == 410
    body = json.loads(response.content)
    assert body["type"].endswith("endpoint-retired")
    assert body["replacement"] == "GET /api/v2/books/?author={id}"
    assert links_by_rel(response["Link"]) == {
        "deprecation": ["https://docs.example.com/similar-books"]
    }
    assert api.get(f"/api/v1/books/{book.pk}/").status_code == 200


# --- no database query on the request path --------------------------------------------------


def test_steady_state_lifecycle_costs_no_query(api, book, django_assert_num_queries) -> None:
    DeprecatedVersionFactory(version="1.1")
    VersionLifecycleFactory(version="0.9", status=Status.RETIRED)
    api.get("/api/v1/books/")  # loads the snapshot once
    with django_assert_num_queries(0):
        assert api.get("/api/v0/books/").status_code == 410
        assert api.get("/api/v1/missing/").status_code == 404
    with django_assert_num_queries(2):  # the view's own: the book, its authors
        response = api.get(f"/api/v1/books/{book.pk}/")
    assert SF_DATE.fullmatch(response["Deprecation"])

"""Deprecated and preview requests are remembered like stable ones, until their sunset.

Issue 19 item 1: the decision of a request with something to announce is made once per lifecycle
snapshot, route, method, header and path, and served again until the earliest sunset that
applies to it; its header values are formatted once.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Iterator

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.support.linkheader import links_by_rel
from tests.testapp.factories import BookFactory
from tests.testapp.models import Book
from versioning_app import VersionNumber
from versioning_app.conf import app_settings
from versioning_app.decision import Decision
from versioning_app.testing import (
    EndpointDeprecationState,
    LifecycleSnapshot,
    VersionState,
    serve_lifecycle,
)

pytestmark = pytest.mark.django_db

V10, V11, V20, V30 = (VersionNumber(*parts) for parts in ((1, 0), (1, 1), (2, 0), (3, 0)))
START = datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)
SUNSET = START + datetime.timedelta(days=30)
GUIDE = "https://docs.example.com/migrate-to-v2"
LIFECYCLE_HEADERS = ("Deprecation", "Sunset", "Link", "API-Lifecycle")


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[datetime.datetime], None]]:
    """Set the wall clock the lifecycle reads (``django.utils.timezone.now``)."""
    moment = [START]
    monkeypatch.setattr(timezone, "now", lambda: moment[0])

    def set_to(when: datetime.datetime) -> None:
        moment[0] = when

    yield set_to


def deprecated(number: VersionNumber, successor: VersionNumber, **fields: object) -> VersionState:
    return VersionState(
        number,
        status="deprecated",
        deprecated_at=START - datetime.timedelta(days=1),
        sunset_at=SUNSET,
        successor=successor,
        documentation_url=GUIDE,
        **fields,  # type: ignore[arg-type]
    )


def lifecycle(*states: VersionState, endpoints: tuple = ()) -> LifecycleSnapshot:
    grouped: dict[str, tuple[EndpointDeprecationState, ...]] = {}
    for item in endpoints:
        grouped[item.route] = (*grouped.get(item.route, ()), item)
    return LifecycleSnapshot(versions={state.number: state for state in states}, endpoints=grouped)


def decision(response) -> Decision:
    found = response.wsgi_request.api_decision
    assert isinstance(found, Decision)
    return found


def lifecycle_headers(response) -> dict[str, str]:
    return {name: response[name] for name in LIFECYCLE_HEADERS if name in response}


@pytest.fixture
def books() -> tuple[Book, Book]:
    return BookFactory(), BookFactory()


def test_a_deprecated_versions_decision_and_headers_are_made_once(
    api: APIClient, clock, books
) -> None:
    with serve_lifecycle(lifecycle(deprecated(V11, V20))):
        first = api.get(f"/api/v1/books/{books[0].pk}/")
        assert first.status_code == 200
        headers = lifecycle_headers(first)
        assert headers["Deprecation"] == f"@{int((START - datetime.timedelta(days=1)).timestamp())}"
        assert headers["Sunset"] == "Thu, 31 Jan 2030 00:00:00 GMT"
        assert links_by_rel(headers["Link"]) == {
            "deprecation": [GUIDE],
            "successor-version": [f"/api/v2/books/{books[0].pk}/"],
        }
        for _ in range(3):
            again = api.get(f"/api/v1/books/{books[0].pk}/")
            assert again.status_code == 200
            assert lifecycle_headers(again) == headers
            assert again["API-Version"] == "1.1"
            # The very decision of the first request: nothing was decided again.
            assert decision(again) is decision(first)


def test_each_resource_gets_its_own_successor_link(api: APIClient, clock, books) -> None:
    with serve_lifecycle(lifecycle(deprecated(V11, V20))):
        for _ in range(2):
            for book in books:
                response = api.get(f"/api/v1/books/{book.pk}/")
                assert response.status_code == 200
                links = links_by_rel(response["Link"])
                assert links["successor-version"] == [f"/api/v2/books/{book.pk}/"]
                assert api.get("/api/v1/books/")["Link"].endswith(
                    '</api/v2/books/>; rel="successor-version"'
                )


def test_a_successor_in_the_same_major_links_the_same_path(api: APIClient, clock, books) -> None:
    with serve_lifecycle(lifecycle(deprecated(V10, V11))):
        for book in (*books, *books):
            response = api.get(f"/api/v1/books/{book.pk}/", HTTP_API_VERSION="1.0")
            assert response.status_code == 200
            assert response["API-Version"] == "1.0"
            links = links_by_rel(response["Link"])
            assert links["successor-version"] == [f"/api/v1/books/{book.pk}/"]


def test_a_remembered_deprecation_turns_410_at_its_sunset(api: APIClient, clock, books) -> None:
    url = f"/api/v1/books/{books[0].pk}/"
    with serve_lifecycle(lifecycle(deprecated(V11, V20))):
        clock(SUNSET - datetime.timedelta(seconds=1))
        first = api.get(url)
        assert first.status_code == 200
        assert decision(api.get(url)) is decision(first)  # remembered

        clock(SUNSET)
        gone = api.get(url)
        assert gone.status_code == 410
        assert gone["Content-Type"] == "application/problem+json"
        assert gone.json()["type"].endswith("version-retired")
        assert "Deprecation" not in gone
        assert api.get(url).status_code == 410


def test_a_remembered_endpoint_deprecation_turns_410_at_its_own_sunset(
    api: APIClient, clock, books
) -> None:
    """The endpoint's sunset comes before the version's: the remembered answer ends there."""
    endpoint_sunset = START + datetime.timedelta(days=3)
    similar = EndpointDeprecationState(
        route="book-similar",
        method=None,
        from_version=V10,
        deprecated_at=START - datetime.timedelta(days=2),
        sunset_at=endpoint_sunset,
        documentation_url="https://docs.example.com/similar-books",
    )
    url = f"/api/v1/books/{books[0].pk}/similar/"
    with serve_lifecycle(lifecycle(deprecated(V11, V20), endpoints=(similar,))):
        first = api.get(url)
        assert first.status_code == 200
        assert first["Sunset"] == "Fri, 04 Jan 2030 00:00:00 GMT"
        assert decision(api.get(url)) is decision(first)

        clock(endpoint_sunset)
        gone = api.get(url)
        assert gone.status_code == 410
        assert gone.json()["type"].endswith("endpoint-retired")
        # The rest of the version is served, deprecated, until the version's own sunset.
        assert api.get(f"/api/v1/books/{books[0].pk}/").status_code == 200


def test_a_new_snapshot_is_seen_at_once(api: APIClient, clock, books) -> None:
    url = f"/api/v1/books/{books[0].pk}/"
    with serve_lifecycle(lifecycle(deprecated(V11, V20))):
        before = api.get(url)
        assert before["Sunset"] == "Thu, 31 Jan 2030 00:00:00 GMT"
        later = SUNSET + datetime.timedelta(days=365)
        postponed = dataclasses.replace(deprecated(V11, V20), sunset_at=later)
        with serve_lifecycle(lifecycle(postponed)):
            after = api.get(url)
            assert after.status_code == 200
            assert after["Sunset"] == "Fri, 31 Jan 2031 00:00:00 GMT"
            assert decision(after) is not decision(before)
        with serve_lifecycle(lifecycle()):
            stable = api.get(url)
            assert stable.status_code == 200
            assert lifecycle_headers(stable) == {}


def test_a_preview_versions_decision_is_remembered(api: APIClient, clock, books) -> None:
    preview = VersionState(V30, status="preview")
    with serve_lifecycle(lifecycle(preview)):
        first = api.get(f"/api/v3/books/{books[0].pk}/")
        assert first.status_code == 200
        assert lifecycle_headers(first) == {"API-Lifecycle": "preview"}
        again = api.get(f"/api/v3/books/{books[0].pk}/")
        assert lifecycle_headers(again) == {"API-Lifecycle": "preview"}
        assert decision(again) is decision(first)


def test_the_remembered_announcements_are_bounded(
    api: APIClient, clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every resource a client asks for is a key: the memory is emptied when full."""
    monkeypatch.setattr("versioning_app.versioning.MAX_ANNOUNCED", 5)
    announced = app_settings.versions.caches.announced
    announced.clear()  # what earlier tests left, under a cap that was larger then
    with serve_lifecycle(lifecycle(deprecated(V11, V20))):
        for book in BookFactory.create_batch(12):
            response = api.get(f"/api/v1/books/{book.pk}/")
            assert response.status_code == 200
            assert links_by_rel(response["Link"])["successor-version"] == [
                f"/api/v2/books/{book.pk}/"
            ]
            assert len(announced) <= 5


def test_made_up_methods_are_never_kept(admin_api: APIClient, clock, books) -> None:
    caches = app_settings.versions.caches
    with serve_lifecycle(lifecycle(deprecated(V11, V20))):
        admin_api.get("/api/v1/books/")
        admin_api.get("/api/v2/books/")
        sizes = len(caches.decisions), len(caches.announced)
        for index in range(20):
            for path in ("/api/v1/books/", "/api/v2/books/"):
                response = admin_api.generic(f"MADEUP{index}", path)
                assert response.status_code == 405
        assert (len(caches.decisions), len(caches.announced)) == sizes

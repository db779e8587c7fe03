"""Brownouts through the test client, with the lifecycle clock (issue 16 item 1).

1.0 and 1.1 are deprecated (successor 2.0, sunset 2099-05-21; ``spec_lifecycle``). A window
is scheduled through the rules, the clock is set inside, before and after it, and the answers
are read as a client reads them.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from tests.testapp.factories import BookFactory
from versioning_app import lifecycle
from versioning_app.models import Brownout
from versioning_app.testing import (
    assert_brownout,
    assert_deprecated,
    lifecycle_at,
    refresh_lifecycle,
)

pytestmark = pytest.mark.django_db

START = datetime.datetime(2031, 3, 1, 12, 0, tzinfo=datetime.UTC)
INSIDE = START + datetime.timedelta(minutes=20)
AFTER = START + datetime.timedelta(hours=2)
HEADER_CLIENTS = {
    "VERSIONS": "tests.testapp.versions.VERSIONS",
    "USAGE_FLUSH_INTERVAL": 0,
    "USAGE_CLIENT_RESOLVER": "tests.support.usage_support.header_client",
}


@pytest.fixture
def book(spec_lifecycle: None) -> Any:
    return BookFactory()


def schedule(version: str = "1.1", **options: Any) -> Brownout:
    with lifecycle_at(START - datetime.timedelta(days=1)):
        window = lifecycle.schedule_brownout(version, starts_at=START, minutes=60, **options)
    refresh_lifecycle()
    return window


def test_a_request_inside_the_window_gets_the_brownout_410(api: APIClient, book: Any) -> None:
    schedule()
    with lifecycle_at(INSIDE):
        response = api.get(f"/api/v1/books/{book.pk}/")
    body, retry_after = assert_brownout(response, successor="2.0")
    assert retry_after == 40 * 60  # seconds to the window's end
    assert body["brownout_ends_at"] == "2031-03-01T13:00:00Z"
    assert body["version"] == "1.1"
    assert "2.0" in body["detail"] and "2031-03-01T13:00:00Z" in body["detail"]
    # The lifecycle headers, and the successor serving the same resource.
    assert response.headers["API-Version"] == "1.1"
    assert response.headers["Deprecation"].startswith("@")
    assert response.headers["Sunset"].endswith("GMT")
    assert f'</api/v2/books/{book.pk}/>; rel="successor-version"' in response.headers["Link"]
    assert response.headers["Link"].count("successor-version") == 1


def test_before_and_after_the_window_the_version_serves(api: APIClient, book: Any) -> None:
    schedule()
    for moment in (START - datetime.timedelta(seconds=1), START + datetime.timedelta(hours=1)):
        with lifecycle_at(moment):
            response = api.get(f"/api/v1/books/{book.pk}/")
        assert response.status_code == 200, moment
        assert_deprecated(response, successor=f"/api/v2/books/{book.pk}/")


def test_the_remembered_decision_never_hides_a_window(api: APIClient, book: Any) -> None:
    """Before, in, after, in again: the clock moves both ways under one snapshot."""
    schedule()
    url = f"/api/v1/books/{book.pk}/"
    statuses = []
    for moment in (START - datetime.timedelta(hours=1), INSIDE, AFTER, INSIDE, AFTER):
        with lifecycle_at(moment):
            statuses.append(api.get(url).status_code)
            statuses.append(api.get(url).status_code)  # the same, remembered
    assert statuses == [200, 200, 410, 410, 200, 200, 410, 410, 200, 200]


def test_a_stable_version_with_a_window_is_browned_out_too(api: APIClient, book: Any) -> None:
    """2.0 is stable; its successor is the newest stable (2.1), served by the same URL."""
    schedule("2.0")
    with lifecycle_at(INSIDE):
        pinned = api.get(f"/api/v2/books/{book.pk}/", HTTP_API_VERSION="2.0")
        newest = api.get(f"/api/v2/books/{book.pk}/")
    assert_brownout(pinned, successor="2.1")
    assert newest.status_code == 200  # 2.1 has no window
    with lifecycle_at(AFTER):
        assert api.get(f"/api/v2/books/{book.pk}/", HTTP_API_VERSION="2.0").status_code == 200


def test_an_endpoint_window_leaves_the_other_endpoints(api: APIClient, book: Any) -> None:
    schedule(route="book-similar")
    with lifecycle_at(INSIDE):
        assert_brownout(api.get(f"/api/v1/books/{book.pk}/similar/"), successor="2.0")
        assert api.get(f"/api/v1/books/{book.pk}/").status_code == 200
        assert api.get("/api/v1/books/").status_code == 200


def test_a_version_window_covers_unknown_paths_of_its_major(api: APIClient, book: Any) -> None:
    schedule()
    with lifecycle_at(INSIDE):
        assert_brownout(api.get("/api/v1/no-such-thing/"))


def test_the_docs_of_a_browned_out_version_still_answer(api: APIClient, book: Any) -> None:
    schedule()
    with lifecycle_at(INSIDE):
        assert api.get("/api/schema/1.1/").status_code == 200


@override_settings(VERSIONING_APP=HEADER_CLIENTS)
def test_listed_clients_only(api: APIClient, book: Any) -> None:
    schedule(clients=["team-a", "team-b"])
    url = f"/api/v1/books/{book.pk}/"
    with lifecycle_at(INSIDE):
        assert_brownout(api.get(url, HTTP_X_CLIENT="team-a"))
        assert_brownout(api.get(url, HTTP_X_CLIENT="team-b"))
        assert api.get(url, HTTP_X_CLIENT="team-c").status_code == 200
        assert api.get(url).status_code == 200  # anonymous: never targeted
        assert_brownout(api.get(url, HTTP_X_CLIENT="team-a"))  # after others were remembered


@override_settings(VERSIONING_APP=HEADER_CLIENTS)
def test_a_share_of_clients_is_stable(api: APIClient, book: Any) -> None:
    schedule(share=30)
    url = f"/api/v1/books/{book.pk}/"
    clients = [f"client-{index}" for index in range(200)]
    with lifecycle_at(INSIDE):
        first = {c for c in clients if api.get(url, HTTP_X_CLIENT=c).status_code == 410}
        again = {c for c in clients if api.get(url, HTTP_X_CLIENT=c).status_code == 410}
    assert first == again  # the same clients, every time
    assert 30 <= len(first) <= 90  # about 30 % of 200
    with lifecycle_at(AFTER):
        assert all(api.get(url, HTTP_X_CLIENT=c).status_code == 200 for c in sorted(first)[:5])


def test_a_brownout_costs_no_query_in_steady_state(
    api: APIClient, book: Any, django_assert_num_queries: Any
) -> None:
    schedule()
    with lifecycle_at(INSIDE):
        api.get("/api/v1/no-such-thing/")  # the snapshot is loaded
        with django_assert_num_queries(0):
            for _ in range(3):
                assert api.get("/api/v1/no-such-thing/").status_code == 410


def test_a_window_saved_in_this_process_shows_at_once(api: APIClient, book: Any) -> None:
    """The receivers drop the snapshot on a brownout's save and delete, like a lifecycle row's."""
    with lifecycle_at(INSIDE):
        assert api.get("/api/v1/books/").status_code == 200
        window = lifecycle.schedule_brownout("1.1", starts_at=START, minutes=60)
        assert_brownout(api.get("/api/v1/books/"))
        window.delete()
        assert api.get("/api/v1/books/").status_code == 200


@override_settings(VERSIONING_APP={**HEADER_CLIENTS, "CLIENTS_PINNING": True})
def test_listed_clients_with_pinning_on(api: APIClient, book: Any) -> None:
    """Without a version header the client's pin decides: the window still finds the client."""
    schedule(clients=["team-a"])
    with lifecycle_at(INSIDE):
        assert_brownout(api.get("/api/v1/books/", HTTP_X_CLIENT="team-a", HTTP_API_VERSION="1.1"))
        pinned = api.get("/api/v1/books/", HTTP_X_CLIENT="team-a")  # 1.1, the newest 1.x
        assert pinned.headers["API-Version"] == "1.1"
        assert_brownout(pinned)
        assert api.get("/api/v1/books/", HTTP_X_CLIENT="team-b").status_code == 200


def test_head_stays_quiet_with_a_rehearsal_on_other_versions(
    api: APIClient, book: Any, django_assert_num_queries: Any
) -> None:
    """What the benchmark pair measures: head's decision is the shared quiet one, no query."""
    from versioning_app import get_snapshot
    from versioning_app.lifecycle.verdict import QUIET
    from versioning_app.versions import VersionNumber

    schedule()  # 1.1, in the future
    lifecycle.set_policies("1.0", read_only=True)
    refresh_lifecycle()
    assert VersionNumber(2, 1) in get_snapshot().quiet
    api.get(f"/api/v2/books/{book.pk}/")
    with django_assert_num_queries(2):  # the view's own: the book, its authors
        response = api.get(f"/api/v2/books/{book.pk}/")
    assert response.wsgi_request.api_decision.verdict is QUIET

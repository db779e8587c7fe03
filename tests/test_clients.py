"""Clients and pins on the request path: one client per request, pins served, rows by the flush."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from tests.support.usage_support import UserFactory, counts, flush_closed
from versioning_app.clients.models import Client, Pin, PinChange
from versioning_app.clients.snapshot import first_seen, invalidate_local, pinned
from versioning_app.decision import ChosenBy
from versioning_app.testing import LifecycleSnapshot, VersionState, serve_lifecycle
from versioning_app.usage.buffer import UNIDENTIFIED, hash_client
from versioning_app.versions import VersionNumber

pytestmark = pytest.mark.django_db

PINNING = {
    "VERSIONS": "tests.testapp.versions.VERSIONS",
    "USAGE_FLUSH_INTERVAL": 0,
    "CLIENTS_PINNING": True,
}
V10, V11 = VersionNumber(1, 0), VersionNumber(1, 1)


def _as(user: Any) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def _pin(user: Any, version: str) -> Client:
    key = hash_client("user", user.pk)
    client, _ = Client.objects.get_or_create(
        key=key,
        defaults={
            "label": user.username,
            "first_seen": "2026-01-01T00:00Z",
            "last_seen": "2026-01-01T00:00Z",
        },
    )
    Pin.objects.update_or_create(
        client=client,
        major=VersionNumber.parse(version).major,
        defaults={"version": version, "changed_at": "2026-01-01T00:00Z"},
    )
    invalidate_local()
    return client


@override_settings(VERSIONING_APP=PINNING)
def test_the_flush_creates_the_client_with_its_label_and_first_pin() -> None:
    alice = UserFactory(username="alice", email="alice@example.com")
    response = _as(alice).get("/api/v1/books/")
    assert response.status_code == 200
    assert response.wsgi_request.api_decision.client == hash_client("user", alice.pk)
    assert Client.objects.count() == 0  # nothing written on the request path
    flush_closed()
    client = Client.objects.get()
    assert (client.key, client.label, client.email) == (
        hash_client("user", alice.pk),
        "alice",
        "alice@example.com",
    )
    assert [(pin.major, pin.version) for pin in client.pins.all()] == [(1, "1.1")]
    assert PinChange.objects.filter(kind="created").count() == 1
    invalidate_local()
    assert first_seen(client.key) == client.first_seen
    assert pinned(client.key, 1) == V11
    flush_closed()  # a second flush changes nothing
    assert Client.objects.count() == 1 and PinChange.objects.count() == 1


@override_settings(VERSIONING_APP={**PINNING, "CLIENTS_STORE_LABELS": False})
def test_without_labels_only_the_keyed_hash_is_stored() -> None:
    alice = UserFactory(username="alice", email="alice@example.com")
    _as(alice).get("/api/v1/books/")
    flush_closed()
    client = Client.objects.get()
    assert (client.label, client.email) == ("", "")
    assert str(client) == hash_client("user", alice.pk)


@override_settings(VERSIONING_APP=PINNING)
def test_header_beats_pin_beats_newest_minor() -> None:
    alice = UserFactory(username="alice")
    _pin(alice, "1.0")
    pinned_response = _as(alice).get("/api/v1/books/")
    assert pinned_response["API-Version"] == "1.0"
    assert pinned_response.wsgi_request.api_decision.chosen_by is ChosenBy.PIN
    header_response = _as(alice).get("/api/v1/books/", HTTP_API_VERSION="1.1")
    assert header_response["API-Version"] == "1.1"
    assert header_response.wsgi_request.api_decision.chosen_by is ChosenBy.HEADER
    anonymous = APIClient().get("/api/v1/books/")
    assert anonymous["API-Version"] == "1.1"
    # Another major: no pin there, the newest minor.
    assert _as(alice).get("/api/v2/books/")["API-Version"] == "2.1"


@override_settings(VERSIONING_APP={**PINNING, "CLIENTS_PINNING": False})
def test_pins_are_ignored_with_pinning_off() -> None:
    alice = UserFactory(username="alice")
    _pin(alice, "1.0")
    assert _as(alice).get("/api/v1/books/")["API-Version"] == "1.1"


@override_settings(VERSIONING_APP=PINNING)
@serve_lifecycle(LifecycleSnapshot(versions={V10: VersionState(V10, status="retired")}))
def test_a_pin_to_a_retired_minor_gets_its_410() -> None:
    alice = UserFactory(username="alice")
    _pin(alice, "1.0")
    response = _as(alice).get("/api/v1/books/")
    assert response.status_code == 410
    assert response["API-Version"] == "1.0"
    assert response["Content-Type"] == "application/problem+json"
    assert APIClient().get("/api/v1/books/").status_code == 200  # 1.1 for the others


@override_settings(VERSIONING_APP=PINNING)
def test_a_pinned_client_costs_no_query_in_steady_state(django_assert_num_queries: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.testapp.factories import BookFactory

    path = f"/api/v1/books/{BookFactory().pk}/"
    alice = UserFactory(username="alice")
    _pin(alice, "1.0")
    api, anonymous = _as(alice), APIClient()
    anonymous.get(path)
    with CaptureQueriesContext(connection) as view_only:
        assert anonymous.get(path).status_code == 200
    # Read now: the next request resets the connection's query log.
    expected = len(view_only.captured_queries)
    api.get(path)  # warms the clients view (and the remembered decision)
    assert expected == 2  # the book and its authors
    with django_assert_num_queries(expected):  # the view's own queries, none of ours
        response = api.get(path)
    assert response.status_code == 200
    assert response["API-Version"] == "1.0"


@override_settings(VERSIONING_APP=PINNING)
def test_an_authentication_failure_still_carries_the_version_headers() -> None:
    UserFactory(username="alice")
    token = base64.b64encode(b"alice:wrong").decode()
    response = APIClient().get("/api/v2/books/", HTTP_AUTHORIZATION=f"Basic {token}")
    assert response.status_code in (401, 403)  # 403: SessionAuthentication comes first
    assert response["API-Version"] == "2.1"
    assert "API-Version" in response["Vary"]


def broken_resolver(request: Any) -> str:
    """A resolver that fails (tests)."""
    raise RuntimeError("resolver down")


@override_settings(
    VERSIONING_APP={**PINNING, "USAGE_CLIENT_RESOLVER": "tests.test_clients.broken_resolver"}
)
def test_a_failing_resolver_counts_the_request_as_unidentified_and_pins_nothing() -> None:
    response = _as(UserFactory(username="alice")).get("/api/v2/books/")
    assert response.status_code == 200
    assert response["API-Version"] == "2.1"
    flush_closed()
    assert counts() == {("2.1", "book-list", "GET", UNIDENTIFIED): 1}
    assert not Client.objects.exists()


CALLS: list[object] = []


def counting_resolver(request: Any) -> str:
    """Names every request ``c1`` and remembers each call (tests)."""
    CALLS.append(request)
    return "c1"


@override_settings(
    VERSIONING_APP={**PINNING, "USAGE_CLIENT_RESOLVER": "tests.test_clients.counting_resolver"}
)
def test_the_client_is_resolved_once_per_request() -> None:
    from versioning_app.usage.recording import record

    CALLS.clear()
    response = APIClient().get("/api/v2/books/")
    assert len(CALLS) == 1
    # Counting reads the decision: no resolver (and no query for a lazy user) after the response.
    record(response.wsgi_request)
    assert len(CALLS) == 1
    flush_closed()
    assert counts() == {("2.1", "book-list", "GET", "c1"): 2}  # counted twice, resolved once


@override_settings(VERSIONING_APP=PINNING)
def test_an_upgrade_and_its_rollback_show_in_this_process_at_once() -> None:
    from versioning_app.clients import pins

    alice = UserFactory(username="alice")
    client = _pin(alice, "1.0")
    api = _as(alice)
    assert api.get("/api/v1/books/")["API-Version"] == "1.0"
    pins.upgrade(client, V11)
    assert api.get("/api/v1/books/")["API-Version"] == "1.1"
    pins.rollback(client, 1)
    assert api.get("/api/v1/books/")["API-Version"] == "1.0"


@override_settings(VERSIONING_APP=PINNING)
@serve_lifecycle(LifecycleSnapshot(versions={V11: VersionState(V11, status="retired")}))
def test_a_retired_version_answers_410_before_any_authentication_failure() -> None:
    UserFactory(username="alice")
    token = base64.b64encode(b"alice:wrong").decode()
    response = APIClient().get("/api/v1/books/", HTTP_AUTHORIZATION=f"Basic {token}")
    assert response.status_code == 410
    assert response["API-Version"] == "1.1"
    with override_settings(VERSIONING_APP={**PINNING, "CLIENTS_PINNING": False}):
        response = APIClient().get("/api/v1/books/", HTTP_AUTHORIZATION=f"Basic {token}")
    assert response.status_code == 410


@override_settings(
    VERSIONING_APP={**PINNING, "CLIENTS_LABEL": "tests.test_clients.broken_resolver"}
)
def test_a_failing_label_function_breaks_nothing_and_is_tried_once(caplog: Any) -> None:
    api = _as(UserFactory(username="alice"))
    assert api.get("/api/v2/books/").status_code == 200
    assert api.get("/api/v2/books/").status_code == 200
    assert caplog.text.count("Could not note an API client's label.") == 1
    flush_closed()
    assert Client.objects.get().label == ""  # created all the same, without a label

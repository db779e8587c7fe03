"""Usage counting: what is counted, under which client, and that the request path never writes."""

from __future__ import annotations

import base64
import logging
import time
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.http import HttpRequest
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.support.usage_support import UserFactory, counts, flush_closed
from tests.testapp.factories import BookFactory
from versioning_app import VersionNumber
from versioning_app.changes import OTHER_METHOD
from versioning_app.clients.resolution import resolve_client
from versioning_app.decision import ChosenBy, Decision, fold_method
from versioning_app.models import UsageRecord
from versioning_app.usage.buffer import (
    ANONYMOUS,
    MAX_ROUTE_LENGTH,
    Descriptor,
    counter,
    hash_client,
)
from versioning_app.usage.recording import default_client, describe

pytestmark = pytest.mark.django_db

USAGE = {"VERSIONS": "tests.testapp.versions.VERSIONS", "USAGE_FLUSH_INTERVAL": 0}


def basic(client: APIClient, username: str) -> APIClient:
    """Authenticate ``client`` with HTTP Basic, as a real API client would."""
    token = base64.b64encode(f"{username}:secret".encode()).decode()
    client.credentials(HTTP_AUTHORIZATION=f"Basic {token}")
    return client


def test_requests_are_counted_per_version_endpoint_method_and_client(api: APIClient) -> None:
    book = BookFactory()
    for _ in range(3):
        assert api.get("/api/v2/books/").status_code == 200
    assert api.get(f"/api/v2/books/{book.pk}/").status_code == 200
    assert api.get("/api/v1/books/").status_code == 200

    result = flush_closed()

    assert result.requests == 5
    assert counts() == {
        ("2.1", "book-list", "GET", ANONYMOUS): 3,
        ("2.1", "book-detail", "GET", ANONYMOUS): 1,
        ("1.1", "book-list", "GET", ANONYMOUS): 1,
    }


def test_a_pinned_minor_is_counted_as_that_minor(api: APIClient) -> None:
    assert api.get("/api/v2/books/", HTTP_API_VERSION="2.0").status_code == 200
    flush_closed()
    assert counts() == {("2.0", "book-list", "GET", ANONYMOUS): 1}


def test_error_responses_of_a_served_endpoint_are_counted(api: APIClient) -> None:
    assert api.get("/api/v2/books/999999/").status_code == 404
    assert api.post("/api/v2/books/", {}, format="json").status_code == 403
    flush_closed()
    assert counts() == {
        ("2.1", "book-detail", "GET", ANONYMOUS): 1,
        ("2.1", "book-list", "POST", ANONYMOUS): 1,
    }


@pytest.mark.parametrize(
    ("path", "headers", "status"),
    [
        ("/api/v2/books/", {"HTTP_API_VERSION": "1.0"}, 400),  # cross-major pin
        ("/api/v2/books/", {"HTTP_API_VERSION": "bogus"}, 400),
        ("/api/v9/books/", {}, 404),  # no such major
        ("/api/v2/no-such-endpoint/", {}, 404),  # no route in the served version
        ("/admin/login/", {}, 200),  # not versioned at all
    ],
)
def test_requests_without_a_served_endpoint_are_not_counted(
    api: APIClient, path: str, headers: dict[str, str], status: int
) -> None:
    assert api.get(path, **headers).status_code == status
    assert counter.pending == 0
    assert flush_closed().requests == 0
    assert not UsageRecord.objects.exists()


def test_an_unknown_method_is_stored_as_other(api: APIClient) -> None:
    response = api.generic("BREW", "/api/v2/books/")
    assert response.status_code == 403  # anonymous "writes" are refused before the method
    flush_closed()
    assert counts() == {("2.1", "book-list", OTHER_METHOD, ANONYMOUS): 1}


def test_a_route_name_longer_than_the_column_is_cut_to_fit() -> None:
    long_route = "r" * (MAX_ROUTE_LENGTH + 50)
    request = _request(
        api_decision=Decision(VersionNumber(2, 1), ChosenBy.URL, long_route, *fold_method("GET"))
    )
    assert describe(request) == Descriptor("2.1", "r" * MAX_ROUTE_LENGTH, "GET", ANONYMOUS)
    request.api_decision = Decision(
        VersionNumber(2, 1), ChosenBy.URL, long_route, *fold_method("BREW")
    )
    assert describe(request) == Descriptor("2.1", "r" * MAX_ROUTE_LENGTH, OTHER_METHOD, ANONYMOUS)


def test_users_are_stored_as_keyed_hashes_never_raw() -> None:
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    for user, calls in ((alice, 2), (bob, 1)):
        client = basic(APIClient(), user.username)
        for _ in range(calls):
            assert client.get("/api/v2/books/").status_code == 200
    flush_closed()

    assert counts() == {
        ("2.1", "book-list", "GET", hash_client("user", alice.pk)): 2,
        ("2.1", "book-list", "GET", hash_client("user", bob.pk)): 1,
    }
    for row in UsageRecord.objects.all():
        assert row.client.startswith("user:")
        assert "alice" not in row.client and "bob" not in row.client
        assert row.client != f"user:{alice.pk}" and row.client != f"user:{bob.pk}"


def test_the_hash_is_stable_across_releases() -> None:
    """Stored usage rows and the admin's search by user name match only while the digest of
    a client never changes: its HMAC purpose string is part of the stored data's format."""
    with override_settings(SECRET_KEY="tests"):
        assert hash_client("user", 42) == "user:e76a75f6fa4d68f6e372d3b813e9d656"


def test_the_hash_depends_on_the_secret_key() -> None:
    digest = hash_client("user", 1)
    with override_settings(SECRET_KEY="another secret"):
        assert hash_client("user", 1) != digest
    assert hash_client("user", 1) == digest
    assert hash_client("user", 2) != digest


def _request(**attributes: Any) -> HttpRequest:
    request = HttpRequest()
    for name, value in attributes.items():
        setattr(request, name, value)
    return request


def test_default_client_falls_back_to_the_token_then_anonymous() -> None:
    anonymous = SimpleNamespace(is_authenticated=False, pk=None)
    token = SimpleNamespace(key="0123456789abcdef")
    assert default_client(_request(user=anonymous, auth=token)) == hash_client("token", token.key)
    assert default_client(_request(user=anonymous, auth="raw-api-key")) == hash_client(
        "token", "raw-api-key"
    )
    assert default_client(_request(user=anonymous, auth=None)) is None
    assert default_client(_request()) is None
    assert resolve_client(_request()) == ANONYMOUS


@override_settings(
    VERSIONING_APP={**USAGE, "USAGE_CLIENT_RESOLVER": "tests.support.usage_support.header_client"}
)
def test_a_custom_resolver_names_the_client(api: APIClient) -> None:
    api.get("/api/v2/books/", HTTP_X_CLIENT="mobile-app")
    api.get("/api/v2/books/", HTTP_X_CLIENT="x" * 200)  # too long: stored as a hash
    api.get("/api/v2/books/")
    flush_closed()
    assert counts() == {
        ("2.1", "book-list", "GET", "mobile-app"): 1,
        ("2.1", "book-list", "GET", hash_client("client", "x" * 200)): 1,
        ("2.1", "book-list", "GET", ANONYMOUS): 1,
    }


@override_settings(VERSIONING_APP={**USAGE, "USAGE_ENABLED": False})
def test_nothing_is_counted_when_disabled(api: APIClient) -> None:
    assert api.get("/api/v2/books/").status_code == 200
    assert counter.pending == 0
    assert flush_closed().requests == 0


def test_the_request_path_does_not_touch_the_database(api: APIClient) -> None:
    BookFactory()
    disabled = override_settings(VERSIONING_APP={**USAGE, "USAGE_ENABLED": False})
    with disabled, CaptureQueriesContext(connection) as uncounted:
        api.get("/api/v2/books/")
    counter.count(Descriptor("2.1", "book-list", "GET", ANONYMOUS), now=time.time() - 3600)
    with CaptureQueriesContext(connection) as counted:  # also pushes the last slot's counts
        api.get("/api/v2/books/")
    assert [q["sql"] for q in counted.captured_queries] == [
        q["sql"] for q in uncounted.captured_queries
    ]
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in counted)
    assert counter.pending == 1  # the older count went to the cache, this one waits


def test_counts_wait_in_the_cache_until_flushed(api: APIClient) -> None:
    api.get("/api/v2/books/")
    api.get("/api/v2/books/")
    assert not UsageRecord.objects.exists()
    assert counter.pending == 2  # kept in the process while their slot is open
    assert counter.push(include_open=False) == 0
    assert counter.push() == 2
    assert counter.pending == 0
    assert not UsageRecord.objects.exists()
    flush_closed()
    assert counts() == {("2.1", "book-list", "GET", ANONYMOUS): 2}


@override_settings(
    CACHES={
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "broken": {"BACKEND": "tests.support.usage_support.BrokenCache"},
    },
    VERSIONING_APP={**USAGE, "USAGE_CACHE_ALIAS": "broken"},
)
def test_a_failing_cache_never_breaks_a_request(
    api: APIClient, caplog: pytest.LogCaptureFixture
) -> None:
    counter.count(Descriptor("2.1", "book-list", "GET", ANONYMOUS), now=time.time() - 3600)
    with caplog.at_level(logging.WARNING, logger="versioning_app.usage"):
        # The first request of the slot pushes the older count: the cache fails.
        assert api.get("/api/v2/books/").status_code == 200
        assert api.get("/api/v2/books/").status_code == 200
    assert "Could not count an API request." in caplog.text
    assert counter.pending == 3  # kept in the process for the next push


def test_counts_of_a_slot_long_gone_are_dated_to_the_current_slot() -> None:
    descriptor = Descriptor("2.1", "book-list", "GET", ANONYMOUS)
    now = time.time()
    counter.count(descriptor, now=now - 3600)  # an idle process, an hour without a push
    assert counter.push(now=now) == 1
    flush_closed()
    row = UsageRecord.objects.get()
    assert row.count == 1
    assert row.last_seen.timestamp() > now - 120

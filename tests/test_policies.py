"""Per-version policies: read-only and no new clients (issue 16 item 2), and their rules."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from tests.testapp.factories import BookFactory
from versioning_app import lifecycle
from versioning_app.models import Client, VersionLifecycle
from versioning_app.testing import assert_read_only, lifecycle_at, refresh_lifecycle

pytestmark = pytest.mark.django_db

CLOSED = datetime.datetime(2031, 1, 1, tzinfo=datetime.UTC)
HEADER_CLIENTS = {
    "VERSIONS": "tests.testapp.versions.VERSIONS",
    "USAGE_FLUSH_INTERVAL": 0,
    "USAGE_CLIENT_RESOLVER": "tests.support.usage_support.header_client",
}


@pytest.fixture
def book(spec_lifecycle: None) -> Any:
    return BookFactory()


def test_a_read_only_version_serves_reads_and_refuses_writes(
    api: APIClient, admin_api: APIClient, book: Any
) -> None:
    lifecycle.set_policies("1.1", read_only=True)
    refresh_lifecycle()
    assert api.get(f"/api/v1/books/{book.pk}/").status_code == 200
    response = admin_api.patch(f"/api/v1/books/{book.pk}/", {"title": "New"}, format="json")
    body = assert_read_only(response, successor="2.0")
    assert "read-only" in body["detail"]
    assert f'</api/v2/books/{book.pk}/>; rel="successor-version"' in response.headers["Link"]
    book.refresh_from_db()
    assert book.title != "New"
    # Another version is writable still.
    assert (
        admin_api.patch(f"/api/v2/books/{book.pk}/", {"title": "N2"}, format="json").status_code
        == 200
    )
    lifecycle.set_policies("1.1", read_only=False)
    refresh_lifecycle()
    assert (
        admin_api.patch(f"/api/v1/books/{book.pk}/", {"title": "N3"}, format="json").status_code
        == 200
    )


@override_settings(VERSIONING_APP=HEADER_CLIENTS)
def test_no_new_clients_after_the_date(api: APIClient, book: Any) -> None:
    for key, first_seen in (
        ("old-client", CLOSED - datetime.timedelta(days=3)),
        ("late-client", CLOSED + datetime.timedelta(days=1)),
    ):
        Client.objects.create(key=key, label=key, first_seen=first_seen, last_seen=first_seen)
    lifecycle.set_policies("1.1", new_clients_until=CLOSED)
    refresh_lifecycle()
    url = f"/api/v1/books/{book.pk}/"
    with lifecycle_at(CLOSED - datetime.timedelta(hours=1)):  # not closed yet
        assert api.get(url, HTTP_X_CLIENT="brand-new").status_code == 200
    with lifecycle_at(CLOSED + datetime.timedelta(days=2)):
        assert api.get(url, HTTP_X_CLIENT="old-client").status_code == 200
        for newcomer in ("late-client", "brand-new"):
            response = api.get(url, HTTP_X_CLIENT=newcomer)
            assert response.status_code == 400, newcomer
            body = response.json()
            assert body["type"].endswith("new-clients-closed")
            assert body["successor"] == "2.0"
            assert "2.0" in body["detail"]
            assert 'rel="successor-version"' in response.headers["Link"]
        assert api.get(url).status_code == 200  # anonymous requests are not identified
        assert api.get(f"/api/v2/books/{book.pk}/", HTTP_X_CLIENT="brand-new").status_code == 200


@pytest.mark.parametrize(
    ("version", "options", "reason"),
    [
        ("2.1", {"read_only": True}, "no successor"),
        ("2.1", {"new_clients_until": CLOSED}, "no successor"),
        ("3.0", {"read_only": True}, "no successor"),
        ("0.9", {"read_only": True}, "retired"),
        (
            "1.1",
            {"new_clients_until": datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC)},
            "sunset",
        ),
    ],
)
def test_refused_policies_are_explained_and_nothing_is_saved(
    spec_lifecycle: None, version: str, options: dict[str, Any], reason: str
) -> None:
    before = VersionLifecycle.objects.get(version=version)
    with pytest.raises(lifecycle.TransitionRefused, match=reason):
        lifecycle.set_policies(version, **options)
    after = VersionLifecycle.objects.get(version=version)
    assert (after.read_only, after.new_clients_until) == (
        before.read_only,
        before.new_clients_until,
    )


def test_a_stable_version_with_a_newer_stable_may_be_read_only(spec_lifecycle: None) -> None:
    row = lifecycle.set_policies("2.0", read_only=True)
    assert row.read_only
    assert lifecycle.set_policies("2.0", read_only=False).read_only is False

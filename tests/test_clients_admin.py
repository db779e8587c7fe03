"""The clients admin: list, search, client page, upgrade and rollback with the admin history."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client as WebClient
from django.test import override_settings
from django.utils import timezone

from versioning_app.clients.models import Client, Pin

pytestmark = pytest.mark.django_db

SETTINGS = {"VERSIONS": "tests.testapp.versions.VERSIONS", "CLIENTS_PINNING": True}


@pytest.fixture
def alice() -> Client:
    now = timezone.now()
    client = Client.objects.create(
        key="user:a1", label="alice", email="alice@example.com", first_seen=now, last_seen=now
    )
    Pin.objects.create(client=client, major=2, version="2.0", changed_at=now)
    return client


@override_settings(VERSIONING_APP=SETTINGS)
def test_list_search_and_page(admin_client: WebClient, alice: Client) -> None:
    listing = admin_client.get("/admin/versioning_app/client/", {"q": "alice@example"})
    assert listing.status_code == 200
    assert b"alice" in listing.content and b"2.0" in listing.content
    page = admin_client.get(f"/admin/versioning_app/client/{alice.pk}/change/")
    assert page.status_code == 200
    assert b"client-upgrade" in page.content


@override_settings(VERSIONING_APP=SETTINGS)
def test_upgrade_and_rollback_are_in_the_admin_history(
    admin_client: WebClient, alice: Client
) -> None:
    admin_client.post(f"/admin/versioning_app/client/{alice.pk}/upgrade/", {"version": "2.1"})
    assert Pin.objects.get().version == "2.1"
    admin_client.post(f"/admin/versioning_app/client/{alice.pk}/rollback/", {"major": "2"})
    assert Pin.objects.get().version == "2.0"
    history = list(LogEntry.objects.order_by("pk").values_list("change_message", flat=True))
    assert history == ["Pinned to 2.1.", "Rolled back to 2.0."]


@override_settings(VERSIONING_APP=SETTINGS)
def test_a_refused_upgrade_shows_the_reason_and_saves_nothing(
    admin_client: WebClient, alice: Client
) -> None:
    response = admin_client.post(
        f"/admin/versioning_app/client/{alice.pk}/upgrade/", {"version": "2.0"}, follow=True
    )
    assert "an upgrade goes to a newer version" in response.content.decode()
    assert Pin.objects.get().version == "2.0" and LogEntry.objects.count() == 0
    assert admin_client.get(f"/admin/versioning_app/client/{alice.pk}/upgrade/").status_code == 403


@override_settings(VERSIONING_APP=SETTINGS)
def test_list_columns_and_client_page_usage_and_report(
    admin_client: WebClient, alice: Client
) -> None:
    from tests.support.usage_support import UsageRecordFactory

    UsageRecordFactory(version="2.0", route="book-list", client=alice.key, count=5)
    UsageRecordFactory(version="1.1", route="book-list", client=alice.key, count=2)
    listing = admin_client.get("/admin/versioning_app/client/")
    html = listing.content.decode()
    assert '<td class="field-versions_used">1.1, 2.0</td>' in html
    assert '<td class="field-usage_requests">7</td>' in html
    page = admin_client.get(
        f"/admin/versioning_app/client/{alice.pk}/change/", {"report_to": "2.1"}
    ).content.decode()
    assert "<td>book-list</td><td>5</td>" in page
    assert "Books have a `language`." in page
    refused = admin_client.get(
        f"/admin/versioning_app/client/{alice.pk}/change/", {"report_to": "nope"}
    ).content.decode()
    assert "nope is not a declared version." in refused

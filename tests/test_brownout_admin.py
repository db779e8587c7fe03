"""The sunset rehearsal in the admin (issue 16): windows, the calendar, the policy fields and
the "what happens on…" page, through Django's test client."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from versioning_app import lifecycle
from versioning_app.models import Brownout, VersionLifecycle
from versioning_app.testing import lifecycle_at

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2031, 3, 1, 12, 0, tzinfo=datetime.UTC)
ADD = "/admin/versioning_app/brownout/add/"


@pytest.fixture
def at_now() -> Any:
    with lifecycle_at(NOW):
        yield NOW


def window_form(version: str, **fields: str) -> dict[str, str]:
    row = VersionLifecycle.objects.get(version=version)
    return {
        "version": str(row.pk),
        "starts_at_0": "2031-03-02",
        "starts_at_1": "10:00:00",
        "ends_at_0": "2031-03-02",
        "ends_at_1": "11:00:00",
        "route": "",
        "share": "",
        "clients": "",
        "note": "",
        **fields,
    }


def test_a_window_is_created_in_the_admin(
    admin_client: Client, spec_lifecycle: None, at_now: Any
) -> None:
    response = admin_client.post(ADD, window_form("1.1", share="25", note="first rehearsal"))
    assert response.status_code == 302, response.content
    window = Brownout.objects.get()
    assert window.starts_at == datetime.datetime(2031, 3, 2, 10, 0, tzinfo=datetime.UTC)
    assert (window.share, window.note) == (25, "first rehearsal")


@pytest.mark.parametrize(
    ("version", "fields", "reason"),
    [
        ("2.1", {}, "no successor"),
        ("0.9", {}, "retired"),
        ("1.1", {"ends_at_0": "2031-03-20"}, "at most 7 days"),
        ("1.1", {"route": "author-list"}, "not an endpoint"),
        ("1.1", {"share": "10", "clients": "a\nb"}, "not both"),
        ("1.1", {"starts_at_0": "2031-02-01", "ends_at_0": "2031-02-01"}, "already be over"),
    ],
)
def test_a_refused_window_says_why_and_saves_nothing(
    admin_client: Client,
    spec_lifecycle: None,
    at_now: Any,
    version: str,
    fields: dict[str, str],
    reason: str,
) -> None:
    response = admin_client.post(ADD, window_form(version, **fields))
    assert response.status_code == 200
    assert reason in response.content.decode()
    assert "Nothing was saved." in response.content.decode()
    assert not Brownout.objects.exists()


def policy_form(row: VersionLifecycle, **fields: str) -> dict[str, str]:
    return {
        "released_at_0": "2024-02-01",
        "released_at_1": "00:00:00",
        "documentation_url": row.documentation_url,
        "notes": "",
        "new_clients_until_0": "",
        "new_clients_until_1": "",
        **fields,
    }


def test_policy_fields_go_through_the_rules(admin_client: Client, spec_lifecycle: None) -> None:
    head = VersionLifecycle.objects.get(version="2.1")
    url = f"/admin/versioning_app/versionlifecycle/{head.pk}/change/"
    refused = admin_client.post(url, policy_form(head, read_only="on"))
    assert refused.status_code == 200
    assert "no successor" in refused.content.decode()
    head.refresh_from_db()
    assert not head.read_only

    old = VersionLifecycle.objects.get(version="1.1")
    url = f"/admin/versioning_app/versionlifecycle/{old.pk}/change/"
    accepted = admin_client.post(
        url,
        policy_form(
            old, read_only="on", new_clients_until_0="2031-04-01", new_clients_until_1="00:00"
        ),
    )
    assert accepted.status_code == 302, accepted.content
    old.refresh_from_db()
    assert old.read_only
    assert old.new_clients_until == datetime.datetime(2031, 4, 1, tzinfo=datetime.UTC)


def test_the_calendar_lists_upcoming_windows_by_day(
    admin_client: Client, spec_lifecycle: None, at_now: Any
) -> None:
    lifecycle.schedule_brownout("1.1", starts_at=NOW + datetime.timedelta(days=1), minutes=60)
    lifecycle.schedule_brownout(
        "1.0", starts_at=NOW + datetime.timedelta(days=8), minutes=240, route="book-list"
    )
    lifecycle.schedule_brownout("1.0", starts_at=NOW - datetime.timedelta(minutes=5), minutes=10)
    page = admin_client.get("/admin/versioning_app/brownout/calendar/").content.decode()
    assert page.index("Sunday 2 March 2031") < page.index("Sunday 9 March 2031")
    assert "book-list" in page
    assert "under way" in page  # the one started five minutes ago


def test_what_happens_on_a_date(admin_client: Client, spec_lifecycle: None) -> None:
    with lifecycle_at(NOW):
        lifecycle.schedule_brownout("1.1", starts_at=NOW, minutes=60)
        lifecycle.set_policies("1.0", read_only=True)
    url = "/admin/versioning_app/brownout/what-happens/"
    page = admin_client.get(url, {"moment": "2031-03-01T12:30"}).content.decode()
    row = page[page.index('data-version="1.1"') :]
    row = row[: row.index("</tr>")]
    assert "410 brownout" in row and "Retry-After: 1800" in row
    row10 = page[page.index('data-version="1.0"') :]
    row10 = row10[: row10.index("</tr>")]
    assert '<td class="read">200</td>' in row10 and "410 read-only" in row10
    assert "Deprecation: @" in row10 and "Sunset: Thu, 21 May 2099" in row10
    assert '<td class="status">retired</td>' in page  # 0.9

    after_sunset = admin_client.get(url, {"moment": "2099-06-01T00:00"}).content.decode()
    row = after_sunset[after_sunset.index('data-version="1.1"') :]
    row = row[: row.index("</tr>")]
    assert '<td class="status">retired</td>' in row and "410 version-retired" in row


def test_staff_without_permission_cannot_see_the_pages(
    client: Client, django_user_model: Any
) -> None:
    user = django_user_model.objects.create_user("staff", password="pw", is_staff=True)
    client.force_login(user)
    assert client.get("/admin/versioning_app/brownout/what-happens/").status_code == 403
    assert client.get("/admin/versioning_app/brownout/calendar/").status_code == 403


def test_the_list_links_to_the_calendar_and_the_what_happens_page(admin_client: Client) -> None:
    page = admin_client.get("/admin/versioning_app/brownout/").content.decode()
    assert 'href="/admin/versioning_app/brownout/calendar/"' in page
    assert 'href="/admin/versioning_app/brownout/what-happens/"' in page

"""The admin pages around the versions: the version page's panel, the usage summary in words,
read-only usage rows, the summary's place in the admin index."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from tests.support.factories import DeprecatedVersionFactory, VersionLifecycleFactory
from tests.support.usage_support import UsageRecordFactory, UserFactory
from versioning_app.models import Brownout, Status, VersionLifecycle

pytestmark = pytest.mark.django_db

SUMMARY = reverse("admin:versioning_app_usagerecord_summary")
ROWS = reverse("admin:versioning_app_usagerecord_changelist")


def change_page(client: Client, version: str):
    row = VersionLifecycle.objects.get(version=version)
    return client.get(reverse("admin:versioning_app_versionlifecycle_change", args=[row.pk]))


def buttons(response) -> list[str]:
    return [action for action, _label in response.context["version_panel"]["actions"]]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (Status.PREVIEW, ["stabilize"]),
        (Status.STABLE, ["deprecate"]),
        (Status.DEPRECATED, ["deprecate", "cancel_deprecation", "retire"]),
        (Status.RETIRED, []),
    ],
)
def test_the_version_page_offers_the_actions_its_status_allows(
    admin_client: Client, status: str, expected: list[str]
) -> None:
    DeprecatedVersionFactory(version="1.0", status=status)
    response = change_page(admin_client, "1.0")
    assert buttons(response) == expected
    html = response.content.decode()
    assert ('value="retire"' in html) == ("retire" in expected)  # retire: deprecated only


def test_the_version_page_shows_badge_usage_and_links(admin_client: Client) -> None:
    UsageRecordFactory(version="2.0", count=12345)
    response = change_page(admin_client, "2.0")
    html = response.content.decode()
    assert 'class="versioning-badge versioning-badge-stable"' in html
    assert "12,345 requests from 1 client in the last 30 days" in html
    assert 'href="/api/docs/2.0/"' in html
    assert 'href="/api/changelog/#v2.0"' in html
    assert f'href="{SUMMARY}?version=2.0"' in html
    assert 'data-series="' in html and html.count('class="va-chart va-sparkline"') == 1


def test_a_viewer_sees_the_panel_without_buttons(client: Client) -> None:
    user = UserFactory(username="viewer", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_versionlifecycle"))
    client.force_login(user)
    response = change_page(client, "2.0")
    assert response.status_code == 200
    assert buttons(response) == []


def test_the_versions_list_shows_the_timeline_and_fewer_queries_per_row(
    admin_client: Client, django_assert_max_num_queries
) -> None:
    UsageRecordFactory(version="2.0", count=3)
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("admin:versioning_app_versionlifecycle_changelist"))
    html = response.content.decode()
    assert html.count('class="va-row"') == 6  # the timeline: one row per version
    assert html.count('class="va-chart va-sparkline"') == 6
    assert "admin.css" in html and 'style="background' not in html


def test_the_summary_is_in_the_admin_index_and_opens(admin_client: Client) -> None:
    index = admin_client.get(reverse("admin:index")).content.decode()
    link = reverse("admin:versioning_app_usagesummary_changelist")
    assert f'href="{link}"' in index and "Usage summary" in index
    response = admin_client.get(link)
    assert response.status_code == 302 and response["Location"] == SUMMARY


def test_the_summary_link_follows_the_usage_permission(client: Client) -> None:
    user = UserFactory(username="reader", is_staff=True)
    client.force_login(user)
    link = reverse("admin:versioning_app_usagesummary_changelist")
    assert client.get(link).status_code == 403
    user.user_permissions.add(Permission.objects.get(codename="view_usagerecord"))
    assert client.get(link).status_code == 302
    assert "Usage summary" in client.get(reverse("admin:index")).content.decode()


def test_the_summary_speaks_words_and_separates_thousands(admin_client: Client) -> None:
    UsageRecordFactory(version="2.0", count=1234567)
    response = admin_client.get(SUMMARY, {"group": "endpoint-client"})
    html = response.content.decode()
    assert response.context["column_labels"] == [
        "Version", "Endpoint", "Method", "Client", "Requests", "Distinct clients",
        "Last seen (UTC)",
    ]  # fmt: skip
    assert '<option value="endpoint-client" selected>endpoint and client</option>' in html
    assert "Grouped by endpoint and client" in html
    assert '<td class="va-right">1,234,567</td>' in html
    assert "2.0 on " in html and ": 1,234,567 requests</title>" in html  # the chart


def test_a_retired_version_is_not_unsafe_for_its_410s(admin_client: Client) -> None:
    DeprecatedVersionFactory(version="0.9", status=Status.RETIRED, successor=None)
    UsageRecordFactory(version="0.9", count=50)  # clients still calling: they get 410
    response = admin_client.get(SUMMARY)
    row = next(r for r in response.context["version_rows"] if r["usage"].version == "0.9")
    assert row["retired"]
    html = response.content.decode()
    cell = html.split('<tr data-version="0.9">', 1)[1].split("</tr>", 1)[0]
    assert "already retired" in cell and "usage-unsafe" not in cell


def test_usage_rows_are_read_only(admin_client: Client) -> None:
    record = UsageRecordFactory(version="2.0", count=7)
    response = admin_client.get(ROWS)
    html = response.content.decode()
    assert 'value="delete_selected"' not in html
    assert admin_client.get(reverse("admin:versioning_app_usagerecord_add")).status_code == 403
    delete = reverse("admin:versioning_app_usagerecord_delete", args=[record.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    change = reverse("admin:versioning_app_usagerecord_change", args=[record.pk])
    assert admin_client.post(change, {"count": 1}).status_code == 403
    record.refresh_from_db()
    assert record.count == 7


def test_usage_rows_columns_are_compact_words(admin_client: Client) -> None:
    UsageRecordFactory(version="2.0", count=4321, client="user:" + "f" * 32, method="POST")
    html = admin_client.get(ROWS).content.decode()
    assert '<td class="field-endpoint">POST book-list</td>' in html
    assert '<span title="user:' + "f" * 32 + '">user:fffffffffff…</span>' in html
    assert '<span class="va-num">4,321</span>' in html


def test_deprecate_form_offers_only_newer_successors_even_for_one_old_version(
    admin_client: Client,
) -> None:
    VersionLifecycleFactory(version="3.0", status=Status.PREVIEW, released_at=None)
    pk = VersionLifecycle.objects.get(version="2.0").pk
    response = admin_client.post(
        reverse("admin:versioning_app_versionlifecycle_changelist"),
        {"action": "deprecate", "_selected_action": [pk]},
    )
    field = response.context["form"].fields["successor"]
    assert [v.version for v in field.queryset] == ["2.1", "3.0"]
    assert field.initial.version == "2.1"


def test_changing_one_deprecation_starts_from_its_current_values(admin_client: Client) -> None:
    DeprecatedVersionFactory(version="1.0")  # successor 2.0, not the newest stable 2.1
    row = VersionLifecycle.objects.get(version="1.0")
    response = admin_client.post(
        reverse("admin:versioning_app_versionlifecycle_changelist"),
        {"action": "deprecate", "_selected_action": [row.pk]},
    )
    form = response.context["form"]
    assert form.fields["successor"].initial.version == "2.0"
    assert form.fields["sunset_at"].initial == row.sunset_at
    assert form.fields["documentation_url"].initial == row.documentation_url


def test_the_retire_page_separates_thousands(admin_client: Client) -> None:
    DeprecatedVersionFactory(version="1.0")
    UsageRecordFactory(version="1.0", count=52095, client="app:big")
    row = VersionLifecycle.objects.get(version="1.0")
    html = admin_client.post(
        reverse("admin:versioning_app_versionlifecycle_changelist"),
        {"action": "retire", "_selected_action": [row.pk]},
    ).content.decode()
    assert "52,095 request(s) from 1 client in the period." in html


def test_usage_rows_show_the_day_as_iso(admin_client: Client) -> None:
    day = datetime.datetime.now(datetime.UTC).date() - datetime.timedelta(days=3)
    UsageRecordFactory(version="2.0", day=day)
    html = admin_client.get(ROWS).content.decode()
    assert f">{day.isoformat()}</a>" in html


def test_the_timeline_marks_each_brownout(admin_client: Client) -> None:
    start = datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC)
    Brownout.objects.create(
        version=VersionLifecycle.objects.get(version="1.0"),
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
    )
    html = admin_client.get(reverse("admin:versioning_app_versionlifecycle_changelist")).content
    page = html.decode()
    row = page.split('data-version="1.0"', 1)[1].split("</g>", 1)[0]
    assert 'data-kind="brownout" data-start="2026-12-01T09:00:00+00:00"' in row
    assert "Brownout 2026-12-01 09:00 to 2026-12-01 10:00 UTC" in row

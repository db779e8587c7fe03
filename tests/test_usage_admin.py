"""The usage admin: rows with filters, search by user, CSV, the summary page, safe to retire."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Permission
from django.template.loader import render_to_string
from django.test import Client, override_settings

from tests.support.usage_support import UsageFlushFactory, UsageRecordFactory, UserFactory
from versioning_app.testing import LifecycleSnapshot, VersionState, serve_lifecycle
from versioning_app.usage.buffer import hash_client
from versioning_app.usage.stats import MAX_CALLERS, retire_usage_context, retire_usage_contexts
from versioning_app.versions import VersionNumber

pytestmark = pytest.mark.django_db

ROWS = "/admin/versioning_app/usagerecord/"
# "Safe to retire" is only said of deprecated versions.
DEPRECATED = LifecycleSnapshot(
    versions={
        VersionNumber.parse(v): VersionState(VersionNumber.parse(v), status="deprecated")
        for v in ("1.0", "1.1", "2.0")
    }
)


def days_ago(days: int) -> datetime.date:
    """A UTC date ``days`` before today."""
    return datetime.datetime.now(datetime.UTC).date() - datetime.timedelta(days=days)


@pytest.fixture
def usage() -> None:
    """1.0 called by one user recently; 1.1 called only 40 days ago; 2.1 called anonymously."""
    reader = UserFactory(username="reader")
    UsageRecordFactory(version="1.0", route="book-list", client=hash_client("user", reader.pk))
    UsageRecordFactory(version="1.0", route="book-similar", count=4, day=days_ago(2))
    UsageRecordFactory(version="1.1", route="book-list", count=9, day=days_ago(40))
    UsageRecordFactory(version="2.1", route="book-detail", count=3)


@pytest.fixture
def viewer(client: Client) -> Client:
    """A staff member who may view usage, and nothing else."""
    user = UserFactory(username="viewer", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="view_usagerecord"),
        Permission.objects.get(codename="view_usageflush"),
    )
    client.force_login(user)
    return client


def csv_rows(content: bytes) -> list[dict[str, str]]:
    """Parse a CSV response body."""
    return list(csv.DictReader(io.StringIO(content.decode())))


@pytest.mark.usefixtures("usage")
def test_the_rows_filter_by_version_and_period(admin_client: Client) -> None:
    response = admin_client.get(ROWS, {"version": "1.0"})
    assert response.status_code == 200
    assert {row.version for row in response.context["cl"].result_list} == {"1.0"}
    response = admin_client.get(ROWS, {"period": "30"})
    assert {row.version for row in response.context["cl"].result_list} == {"1.0", "2.1"}
    response = admin_client.get(ROWS, {"period": "365", "route": "book-list"})
    assert {row.version for row in response.context["cl"].result_list} == {"1.0", "1.1"}


@pytest.mark.usefixtures("usage")
def test_a_user_name_finds_the_users_hashed_rows(admin_client: Client) -> None:
    response = admin_client.get(ROWS, {"q": "reader"})
    rows = list(response.context["cl"].result_list)
    assert [(row.version, row.route) for row in rows] == [("1.0", "book-list")]
    assert admin_client.get(ROWS, {"q": "nobody"}).context["cl"].result_count == 0


@pytest.mark.usefixtures("usage")
def test_csv_export_follows_the_changelist_filters(admin_client: Client) -> None:
    page = admin_client.get(ROWS, {"version": "1.0"})
    assert b"export/?version=1.0" in page.content
    response = admin_client.get(f"{ROWS}export/", {"version": "1.0"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response.content)
    assert sorted((r["version"], r["route"], r["count"]) for r in rows) == [
        ("1.0", "book-list", "1"),
        ("1.0", "book-similar", "4"),
    ]


@pytest.mark.usefixtures("usage")
def test_the_summary_shows_safe_to_retire_per_version(admin_client: Client) -> None:
    response = admin_client.get(f"{ROWS}summary/")
    assert response.status_code == 200
    by_version = {u.version: u for u in response.context["version_usage"]}
    assert (by_version["1.0"].requests, by_version["1.0"].clients) == (5, 2)
    assert not by_version["1.0"].safe_to_retire
    assert by_version["1.1"].safe_to_retire  # only called before the period
    assert by_version["2.0"].safe_to_retire
    assert by_version["1.1"].last_seen is not None
    assert "Safe to retire" in response.content.decode()
    response = admin_client.get(f"{ROWS}summary/", {"days": "90"})
    by_version = {u.version: u for u in response.context["version_usage"]}
    assert not by_version["1.1"].safe_to_retire


@pytest.mark.usefixtures("usage")
def test_the_summary_groups_filters_and_exports(admin_client: Client) -> None:
    response = admin_client.get(
        f"{ROWS}summary/", {"group": "client", "version": "1.0", "days": "30"}
    )
    assert response.context["columns"] == ["version", "client", "requests", "clients", "last_seen"]
    assert [row[2] for row in response.context["rows"]] == [4, 1]
    response = admin_client.get(
        f"{ROWS}summary/", {"group": "endpoint", "route": "book-detail", "format": "csv"}
    )
    assert [(r["version"], r["route"], r["requests"]) for r in csv_rows(response.content)] == [
        ("2.1", "book-detail", "3")
    ]


def test_the_summary_ignores_bad_parameters(admin_client: Client) -> None:
    response = admin_client.get(f"{ROWS}summary/", {"days": "-5", "group": "<script>"})
    assert response.status_code == 200
    assert response.context["days"] == 30
    assert response.context["group"] == "endpoint"
    assert b"<script>" not in response.content


@pytest.mark.usefixtures("usage")
def test_staff_with_view_permission_can_read_but_not_change(viewer: Client) -> None:
    assert viewer.get(ROWS).status_code == 200
    assert viewer.get(f"{ROWS}summary/").status_code == 200
    assert viewer.get(f"{ROWS}export/").status_code == 200
    assert viewer.get(f"{ROWS}add/").status_code == 403
    assert viewer.get("/admin/versioning_app/usageflush/").status_code == 200


def test_staff_without_view_permission_see_nothing(client: Client) -> None:
    client.force_login(UserFactory(username="clerk", is_staff=True))
    assert client.get(ROWS).status_code == 403
    assert client.get(f"{ROWS}summary/").status_code == 403
    assert client.get(f"{ROWS}export/").status_code == 403


def test_flush_rows_cannot_be_deleted(admin_client: Client) -> None:
    flush_row = UsageFlushFactory()
    response = admin_client.get(f"/admin/versioning_app/usageflush/{flush_row.pk}/delete/")
    assert response.status_code == 403


@pytest.mark.usefixtures("usage")
@serve_lifecycle(DEPRECATED)
def test_the_retire_block_warns_while_a_version_is_called() -> None:
    html = render_to_string(
        "admin/versioning_app/includes/usage_for_retire.html",
        {"report": retire_usage_context("1.0")},
    )
    assert "Not safe to retire:" in html
    assert "5 request(s) from 2 clients in the period." in html
    assert hash_client("user", UserFactory(username="reader").pk) in html


@pytest.mark.usefixtures("usage")
@serve_lifecycle(DEPRECATED)
def test_the_retire_block_says_safe_when_nobody_called() -> None:
    html = render_to_string(
        "admin/versioning_app/includes/usage_for_retire.html",
        {"report": retire_usage_context("1.1")},
    )
    assert "Safe to retire:" in html
    assert "Last call ever seen:" in html


def test_the_retire_report_lists_the_heaviest_callers_first_and_counts_the_rest() -> None:
    for n in range(MAX_CALLERS + 2):
        UsageRecordFactory(version="1.0", client=f"app:{n:03d}", count=n + 1)
    UsageRecordFactory(version="1.1", client="app:other", count=1000)
    reports = retire_usage_contexts(["1.0", "1.1", "2.0"])
    assert [r["version"] for r in reports] == ["1.0", "1.1", "2.0"]
    first = reports[0]
    assert [c["client"] for c in first["callers"][:2]] == ["app:051", "app:050"]
    assert len(first["callers"]) == MAX_CALLERS
    assert first["more_callers"] == 2
    assert (first["usage"].requests, first["usage"].clients) == (sum(range(53)), 52)
    assert [c["client"] for c in reports[1]["callers"]] == ["app:other"]
    assert (reports[2]["callers"], reports[2]["usage"].safe_to_retire) == ([], True)
    html = render_to_string(
        "admin/versioning_app/includes/usage_for_retire.html", {"report": first}
    )
    assert "and 2 more clients." in html
    assert "app:000" not in html  # the lightest callers are only counted


@pytest.mark.usefixtures("usage")
@serve_lifecycle(DEPRECATED)
def test_the_usage_for_retire_tag_renders_the_block() -> None:
    from django.template import Context, Template

    html = Template(
        "{% load versioning_usage %}{% usage_for_retire '1.0' %}{% usage_for_retire '2.0' 7 %}"
    ).render(Context())
    assert "Calls to 1.0 in the last 30 days" in html
    assert "Not safe to retire:" in html
    assert "Calls to 2.0 in the last 7 days" in html
    assert "Safe to retire:" in html


@override_settings(TIME_ZONE="America/New_York")
def test_times_labelled_utc_are_shown_in_utc_whatever_the_time_zone(admin_client: Client) -> None:
    seen = datetime.datetime.combine(days_ago(1), datetime.time(3, 30), tzinfo=datetime.UTC)
    UsageRecordFactory(version="1.0", day=seen.date(), last_seen=seen, client="user:x")
    flushed = UsageFlushFactory()
    flushed_at = f"{flushed.flushed_at.astimezone(datetime.UTC):%Y-%m-%d %H:%M:%S} UTC"
    html = render_to_string(
        "admin/versioning_app/includes/usage_for_retire.html",
        {"report": retire_usage_context("1.0")},
    )
    assert f"<td>{seen:%Y-%m-%d %H:%M}</td>" in html
    assert f"Last call ever seen: {seen:%Y-%m-%d %H:%M} UTC." in html
    assert f"Figures as of the last usage flush, {flushed_at}." in html
    summary = admin_client.get(f"{ROWS}summary/", {"version": "1.0"}).content.decode()
    assert summary.count(f"<td>{seen:%Y-%m-%d %H:%M}</td>") == 2  # per version, and grouped
    assert f"Figures as of the last usage flush, {flushed_at};" in summary

"""The lifecycle admin through the test client: list, filters, actions, refusals, history."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.support.factories import (
    DeprecatedVersionFactory,
    EndpointDeprecationFactory,
    VersionLifecycleFactory,
)
from tests.support.usage_support import UsageRecordFactory, UserFactory
from versioning_app import get_snapshot
from versioning_app.models import EndpointDeprecation, Status, VersionLifecycle
from versioning_app.usage.buffer import hash_client

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:versioning_app_versionlifecycle_changelist")
UTC = datetime.UTC


def pks(*versions: str) -> list[int]:
    return [VersionLifecycle.objects.get(version=v).pk for v in versions]


def row(version: str) -> VersionLifecycle:
    return VersionLifecycle.objects.get(version=version)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def problems_of(response) -> list[str]:
    """The refusals shown inline on a kept action form (the page is not a redirect)."""
    assert response.status_code == 200
    assert "Nothing was changed." in response.content.decode()
    form = response.context["form"]
    return [str(error) for errors in form.errors.values() for error in errors]


@pytest.fixture
def viewer(django_user_model) -> Client:
    """A staff member who may view API versions but not change them."""
    user = django_user_model.objects.create_user("viewer", password="pw", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="view_versionlifecycle"),
        Permission.objects.get(codename="view_endpointdeprecation"),
    )
    client = Client()
    client.force_login(user)
    return client


def test_changelist_shows_badges_dates_and_successor(admin_client) -> None:
    DeprecatedVersionFactory(version="1.0")
    response = admin_client.get(CHANGELIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="versioning-badge versioning-badge-deprecated"' in html
    assert html.count("versioning-badge-stable") == 5
    assert '<span class="va-successor">→ 2.0</span>' in html  # the successor, after the status
    for action in ("deprecate", "retire", "stabilize", "cancel_deprecation"):
        assert f'value="{action}"' in html


@pytest.mark.parametrize(
    ("query", "expected"), [("status__exact=deprecated", 1), ("major__exact=2", 2)]
)
def test_filters(admin_client, query: str, expected: int) -> None:
    DeprecatedVersionFactory(version="1.0")
    response = admin_client.get(f"{CHANGELIST}?{query}")
    assert response.context["cl"].result_count == expected


def test_version_is_read_only_and_rows_are_not_added(admin_client) -> None:
    url = reverse("admin:versioning_app_versionlifecycle_change", args=[row("2.0").pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    form_fields = set(response.context["adminform"].form.fields)
    assert form_fields == {
        "released_at",
        "documentation_url",
        "notes",
        "read_only",
        "new_clients_until",
    }
    assert admin_client.get(reverse("admin:versioning_app_versionlifecycle_add")).status_code == 403
    response = admin_client.post(
        url,
        {
            "version": "9.9",
            "status": "retired",
            "documentation_url": "https://d.example",
            "notes": "n",
        },
    )
    assert response.status_code == 302
    assert (row("2.0").status, row("2.0").documentation_url) == ("stable", "https://d.example")
    assert not VersionLifecycle.objects.filter(version="9.9").exists()


def test_declared_versions_cannot_be_deleted_stale_ones_can(admin_client) -> None:
    delete = "admin:versioning_app_versionlifecycle_delete"
    assert admin_client.get(reverse(delete, args=[row("2.0").pk])).status_code == 403
    stale = VersionLifecycle(version="0.1")
    stale.save()
    assert admin_client.get(reverse(delete, args=[stale.pk])).status_code == 200


def test_deprecate_action_shows_a_form_then_applies_it(admin_client, api) -> None:
    data = {"action": "deprecate", "_selected_action": pks("1.0", "1.1")}
    response = admin_client.post(CHANGELIST, data)
    assert response.status_code == 200
    assert response.templates[0].name == "admin/versioning_app/versionlifecycle/action_form.html"
    assert set(response.context["form"].fields) == {
        "deprecated_at", "sunset_at", "successor", "documentation_url",
    }  # fmt: skip
    response = admin_client.post(
        CHANGELIST,
        {
            **data,
            "apply": "Deprecate",
            "deprecated_at": "2026-01-01T00:00",
            "sunset_at": "2026-12-31T00:00",
            "successor": row("2.0").pk,
            "documentation_url": "https://docs.example.com/v2",
        },
    )
    assert response.status_code == 302
    for version in ("1.0", "1.1"):
        r = row(version)
        assert (r.status, r.successor.version) == (Status.DEPRECATED, "2.0")
        assert r.sunset_at == datetime.datetime(2026, 12, 31, tzinfo=UTC)
    entries = LogEntry.objects.filter(object_id__in=[str(pk) for pk in pks("1.0", "1.1")])
    assert [e.action_flag for e in entries] == [CHANGE, CHANGE]
    assert "Deprecated from 2026-01-01 00:00 UTC, sunset 2026-12-31 00:00 UTC, successor 2.0." in {
        e.get_change_message() for e in entries
    }
    assert api.get("/api/v1/books/")["Deprecation"] == "@1767225600"


def test_an_invalid_form_is_shown_again(admin_client) -> None:
    response = admin_client.post(
        CHANGELIST,
        {
            "action": "deprecate",
            "_selected_action": pks("1.0"),
            "apply": "1",
            "deprecated_at": "soon",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["deprecated_at"]
    assert row("1.0").status == Status.STABLE


def test_a_refusal_keeps_the_form_names_every_problem_and_saves_nothing(admin_client) -> None:
    """0.9 alone would retire; 2.0 and 2.1 are still successors: nothing is saved, both named."""
    for version in ("0.9", "2.0", "2.1"):
        DeprecatedVersionFactory(version=version, successor=None)
    VersionLifecycle.objects.filter(version="1.0").update(successor=row("2.0"), status="deprecated")
    VersionLifecycle.objects.filter(version="1.1").update(successor=row("2.1"), status="deprecated")
    response = admin_client.post(
        CHANGELIST, {"action": "retire", "_selected_action": pks("0.9", "2.0", "2.1"), "apply": "1"}
    )
    assert not messages_of(response)
    assert problems_of(response) == [
        "2.0 is the successor of 1.0; give it another successor before retiring it.",
        "2.1 is the successor of 1.1; give it another successor before retiring it.",
    ]
    assert [r.version for r in response.context["queryset"]] == ["0.9", "2.0", "2.1"]
    assert row("0.9").status == Status.DEPRECATED  # rolled back with the others
    assert not LogEntry.objects.exists()


def test_a_refused_form_keeps_its_input(admin_client) -> None:
    response = admin_client.post(
        CHANGELIST,
        {
            "action": "deprecate",
            "_selected_action": pks("1.0"),
            "apply": "1",
            "deprecated_at": "2026-02-01T00:00",
            "sunset_at": "2026-01-01T00:00",
            "documentation_url": "https://docs.example.com/kept",
        },
    )
    assert problems_of(response) == ["The sunset cannot be before the deprecation."]
    html = response.content.decode()
    assert 'value="https://docs.example.com/kept"' in html
    assert 'value="2026-01-01T00:00"' in html


def test_successors_offered_are_newer_and_not_retired_the_newest_stable_first(
    admin_client,
) -> None:
    DeprecatedVersionFactory(version="2.0", successor=None)
    VersionLifecycleFactory(version="3.0", status=Status.PREVIEW, released_at=None)
    response = admin_client.post(
        CHANGELIST, {"action": "deprecate", "_selected_action": pks("1.1")}
    )
    field = response.context["form"].fields["successor"]
    assert [choice.version for choice in field.queryset] == ["2.0", "2.1", "3.0"]
    assert field.initial.version == "2.1"  # the newest stable
    retired = row("2.0")
    retired.status = Status.RETIRED
    retired.save()
    response = admin_client.post(
        CHANGELIST, {"action": "deprecate", "_selected_action": pks("1.1")}
    )
    offered = [choice.version for choice in response.context["form"].fields["successor"].queryset]
    assert offered == ["2.1", "3.0"]


def test_action_form_dates_state_their_time_zone_and_load_the_form_styles(admin_client) -> None:
    response = admin_client.post(
        CHANGELIST, {"action": "deprecate", "_selected_action": pks("1.1")}
    )
    html = response.content.decode()
    assert "Deprecation date (UTC)" in html and "Sunset date (UTC)" in html
    assert "admin/css/forms.css" in html


def test_sunset_before_deprecation_is_refused(admin_client) -> None:
    response = admin_client.post(
        CHANGELIST,
        {
            "action": "deprecate",
            "_selected_action": pks("1.0"),
            "apply": "1",
            "deprecated_at": "2026-02-01T00:00",
            "sunset_at": "2026-01-01T00:00",
        },
    )
    assert problems_of(response) == ["The sunset cannot be before the deprecation."]
    assert response.context["form"].errors["sunset_at"]  # next to the field it is about
    assert row("1.0").status == Status.STABLE


def test_retire_asks_for_confirmation(admin_client, api) -> None:
    DeprecatedVersionFactory(version="0.9")
    data = {"action": "retire", "_selected_action": pks("0.9")}
    response = admin_client.post(CHANGELIST, data)
    assert response.status_code == 200
    assert "answer 410 Gone" in response.content.decode()
    assert row("0.9").status == Status.DEPRECATED  # not yet
    response = admin_client.post(CHANGELIST, {**data, "apply": "Yes, retire"}, follow=True)
    assert messages_of(response) == [
        "Retire API versions: 0.9. Retired: the version answers 410 Gone."
    ]
    assert row("0.9").status == Status.RETIRED
    assert api.get("/api/v0/books/").status_code == 410
    assert LogEntry.objects.get().get_change_message() == "Retired: the version answers 410 Gone."


def test_retiring_a_stable_version_is_refused(admin_client) -> None:
    response = admin_client.post(
        CHANGELIST, {"action": "retire", "_selected_action": pks("2.1", "2.0"), "apply": "1"}
    )
    assert problems_of(response) == [
        "2.0 is stable: only a deprecated version can be retired.",
        "2.1 is stable: only a deprecated version can be retired.",
    ]
    assert 'name="apply"' not in response.content.decode()  # nothing to confirm
    assert row("2.1").status == Status.STABLE


def test_deprecating_the_last_stable_version_is_refused(admin_client) -> None:
    for version in ("0.9", "1.0", "1.1", "2.0", "2.1"):
        DeprecatedVersionFactory(version=version, successor=None)
    response = admin_client.post(
        CHANGELIST, {"action": "deprecate", "_selected_action": pks("3.0"), "apply": "1",
                     "deprecated_at": "2026-01-01T00:00"}
    )  # fmt: skip
    assert problems_of(response) == [
        "Cannot deprecate 3.0: it is the last stable version. Mark a newer version stable first."
    ]
    assert row("3.0").status == Status.STABLE


def test_stabilize_and_cancel_deprecation(admin_client) -> None:
    VersionLifecycleFactory(version="3.0", status=Status.PREVIEW, released_at=None)
    admin_client.post(
        CHANGELIST,
        {
            "action": "stabilize",
            "_selected_action": pks("3.0"),
            "apply": "1",
            "released_at": "2026-05-01T10:00",
        },
    )
    assert row("3.0").status == Status.STABLE
    assert row("3.0").released_at == datetime.datetime(2026, 5, 1, 10, tzinfo=UTC)
    DeprecatedVersionFactory(version="1.0")
    admin_client.post(
        CHANGELIST, {"action": "cancel_deprecation", "_selected_action": pks("1.0"), "apply": "1"}
    )
    assert (row("1.0").status, row("1.0").sunset_at) == (Status.STABLE, None)
    assert LogEntry.objects.count() == 2


def test_view_only_staff_can_view_but_not_change(viewer) -> None:
    response = viewer.get(CHANGELIST)
    assert response.status_code == 200
    assert 'value="deprecate"' not in response.content.decode()
    change = reverse("admin:versioning_app_versionlifecycle_change", args=[row("1.0").pk])
    assert viewer.get(change).status_code == 200
    viewer.post(change, {"notes": "changed"})
    viewer.post(
        CHANGELIST,
        {
            "action": "deprecate",
            "_selected_action": pks("1.0"),
            "apply": "1",
            "deprecated_at": "2026-01-01T00:00",
        },
    )
    assert (row("1.0").status, row("1.0").notes) == (Status.STABLE, "")
    assert (
        viewer.get(reverse("admin:versioning_app_endpointdeprecation_changelist")).status_code
        == 200
    )
    assert viewer.get(reverse("admin:versioning_app_endpointdeprecation_add")).status_code == 403


# --- endpoint deprecations -------------------------------------------------------------------


def test_endpoint_deprecation_create_list_filter_edit(admin_client, api) -> None:
    add = reverse("admin:versioning_app_endpointdeprecation_add")
    form = admin_client.get(add).context["adminform"].form
    assert ("book-similar", "book-similar") in form.fields["route"].widget.choices
    response = admin_client.post(
        add,
        {
            "route": "book-similar",
            "method": "GET",
            "from_version": row("1.0").pk,
            "deprecated_at_0": "2026-01-01",
            "deprecated_at_1": "00:00:00",
            "replacement": "GET /api/v2/books/",
            "documentation_url": "https://docs.example.com/similar",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    item = EndpointDeprecation.objects.get()
    assert api.get("/api/v1/books/1/similar/")["Deprecation"] == "@1767225600"
    changelist = reverse("admin:versioning_app_endpointdeprecation_changelist")
    assert admin_client.get(f"{changelist}?method__exact=GET").context["cl"].result_count == 1
    assert admin_client.get(f"{changelist}?method__exact=POST").context["cl"].result_count == 0
    change = reverse("admin:versioning_app_endpointdeprecation_change", args=[item.pk])
    assert admin_client.get(change).status_code == 200


def test_endpoint_deprecation_form_refuses_sunset_before_deprecation(admin_client) -> None:
    response = admin_client.post(
        reverse("admin:versioning_app_endpointdeprecation_add"),
        {
            "route": "book-similar",
            "from_version": row("1.0").pk,
            "deprecated_at_0": "2026-02-01",
            "deprecated_at_1": "00:00:00",
            "sunset_at_0": "2026-01-01",
            "sunset_at_1": "00:00:00",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["sunset_at"] == [
        "The sunset cannot be before the deprecation."
    ]
    assert not EndpointDeprecation.objects.exists()


def test_endpoint_deprecation_list_shows_all_methods(admin_client) -> None:
    EndpointDeprecationFactory()
    response = admin_client.get(reverse("admin:versioning_app_endpointdeprecation_changelist"))
    assert '<td class="field-method_display">all</td>' in response.content.decode()


# --- usage columns and the retire page's callers -----------------------------------------------


def days_ago(days: int) -> datetime.date:
    """A UTC date ``days`` before today."""
    return datetime.datetime.now(UTC).date() - datetime.timedelta(days=days)


def noon(day: datetime.date) -> datetime.datetime:
    """Noon (UTC) of a day: a call's last-seen time on that day."""
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=UTC)


@pytest.fixture
def usage() -> str:
    """1.0: 5 requests from 2 clients lately; 1.1: called only 40 days ago; 2.0: never.

    Returns the client that called 1.0 most.
    """
    reader = hash_client("user", UserFactory(username="reader").pk)
    UsageRecordFactory(version="1.0", route="book-list", client=reader, count=4)
    UsageRecordFactory(
        version="1.0", route="book-similar", day=days_ago(2), last_seen=noon(days_ago(2))
    )
    UsageRecordFactory(
        version="1.1", route="book-list", count=9, day=days_ago(40), last_seen=noon(days_ago(40))
    )
    return reader


def usage_cells(response) -> dict[str, tuple[int, int, datetime.datetime | None]]:
    """Per listed version: (requests, clients, last seen) as the changelist computed them."""
    return {
        row.version: (row.usage_requests, row.usage_clients, row.usage_last_seen)
        for row in response.context["cl"].result_list
    }


def test_changelist_shows_requests_clients_and_last_seen(admin_client, usage) -> None:
    response = admin_client.get(CHANGELIST)
    html = response.content.decode()
    for header in ("requests (30 days)", "clients (30 days)", "last seen"):
        assert header in html.lower()
    cells = usage_cells(response)
    assert cells["1.0"][:2] == (5, 2)
    assert cells["1.0"][2].date() == days_ago(0)  # the last call of any day, not the first
    assert cells["1.1"] == (0, 0, noon(days_ago(40)))  # called before the period only
    assert cells["2.0"] == (0, 0, None)
    assert (
        '<td class="field-usage_requests"><span class="va-usage"><span class="va-num">5</span>'
        in html
    )
    assert '<td class="field-usage_clients">2</td>' in html
    assert '<td class="field-usage_last_seen">-</td>' in html  # never called


def index_of(column: str) -> int:
    """The 1-based position of a list_display column, for the changelist's ``o`` parameter."""
    from versioning_app.admin.lifecycle import VersionLifecycleAdmin

    return VersionLifecycleAdmin.list_display.index(column) + 1


@pytest.mark.usefixtures("usage")
def test_usage_columns_sort(admin_client) -> None:
    UsageRecordFactory(version="2.1", count=2, day=days_ago(1), last_seen=noon(days_ago(1)))

    def order(column: str, descending: bool = False) -> list[str]:
        o = f"{'-' if descending else ''}{index_of(column)}"
        response = admin_client.get(CHANGELIST, {"o": o})
        return [row.version for row in response.context["cl"].result_list]

    assert order("usage_requests", descending=True)[:2] == ["1.0", "2.1"]
    assert order("usage_requests")[-2:] == ["2.1", "1.0"]
    assert order("usage_clients", descending=True)[:2] == ["1.0", "2.1"]
    # Never-called versions sort as the oldest, on every database.
    assert order("usage_last_seen", descending=True) == ["1.0", "2.1", "1.1", "0.9", "2.0", "3.0"]
    assert order("usage_last_seen") == ["0.9", "2.0", "3.0", "1.1", "2.1", "1.0"]


def test_changelist_queries_do_not_grow_with_the_versions(admin_client) -> None:
    for version in ("0.9", "1.0", "1.1", "2.0", "2.1", "3.0"):
        UsageRecordFactory(version=version, count=3)
        UsageRecordFactory(version=version, client="user:other", day=days_ago(3))

    def queries() -> tuple[int, dict[str, tuple[int, int]]]:
        with CaptureQueriesContext(connection) as captured:
            response = admin_client.get(CHANGELIST)
        assert response.status_code == 200
        figures = {version: cells[:2] for version, cells in usage_cells(response).items()}
        return len(captured), figures

    six, figures = queries()
    assert figures == {v: (4, 2) for v in ("0.9", "1.0", "1.1", "2.0", "2.1", "3.0")}
    VersionLifecycle.objects.exclude(version__in=["2.0", "2.1"]).delete()
    two, figures = queries()
    assert figures == {"2.0": (4, 2), "2.1": (4, 2)}
    assert two == six


def retire_page(admin_client, *versions: str):
    """The retire confirmation of the versions (deprecated first, so the retire is allowed)."""
    for version in versions:
        DeprecatedVersionFactory(version=version, successor=row("3.0"))
    return confirm_retire(admin_client, *versions)


def confirm_retire(admin_client, *versions: str):
    """Ask to retire the versions: the confirmation page."""
    response = admin_client.post(
        CHANGELIST, {"action": "retire", "_selected_action": pks(*versions)}
    )
    assert response.status_code == 200
    assert response.templates[0].name == "admin/versioning_app/versionlifecycle/retire.html"
    return response


def usage_block(html: str, version: str) -> str:
    """The usage block of one version on a retire page."""
    start = html.index(f'<div class="module usage-for-retire" data-version="{version}">')
    return html[start : html.index("</div>", start)]


def test_retire_page_shows_the_callers_and_not_safe(admin_client, usage: str) -> None:
    html = retire_page(admin_client, "1.0").content.decode()
    block = usage_block(html, "1.0")
    assert "Calls to 1.0 in the last 30 days" in block
    assert "Not safe to retire:" in block
    assert "5 request(s) from 2 clients in the period." in block
    # The callers, heaviest first.
    assert block.index(usage) < block.index("anonymous")
    assert "Safe to retire:" not in block
    assert row("1.0").status == Status.DEPRECATED  # only asked so far


def test_retire_page_says_safe_to_retire_without_recent_calls(admin_client, usage: str) -> None:
    html = retire_page(admin_client, "1.1", "2.0").content.decode()
    for version in ("1.1", "2.0"):
        block = usage_block(html, version)
        assert "Safe to retire:" in block
        assert "Not safe" not in block
        assert usage not in block
    assert "Last call ever seen:" in usage_block(html, "1.1")  # 40 days ago
    assert "Last call ever seen:" not in usage_block(html, "2.0")


@pytest.mark.usefixtures("usage")
def test_retire_page_queries_do_not_grow_with_the_selection(admin_client) -> None:
    for version in ("1.0", "1.1", "2.0"):
        DeprecatedVersionFactory(version=version, successor=row("3.0"))
    pk_lookups = 3  # confirm_retire's own pks() lookups
    get_snapshot()  # loaded now, not inside the first capture
    with CaptureQueriesContext(connection) as one:
        confirm_retire(admin_client, "1.0")
    with CaptureQueriesContext(connection) as three:
        html = confirm_retire(admin_client, "1.0", "1.1", "2.0").content.decode()
    assert html.count('class="module usage-for-retire"') == 3
    assert len(three) - pk_lookups == len(one) - 1  # one pk lookup in the first

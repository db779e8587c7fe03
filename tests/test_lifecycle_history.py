"""Lifecycle changes are in the version's admin history however they were made: admin action,
``api_lifecycle`` or project code (``versioning_app.lifecycle``)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from tests.support.factories import DeprecatedVersionFactory
from versioning_app import lifecycle
from versioning_app.models import VersionLifecycle

pytestmark = pytest.mark.django_db


def entries(version: str) -> list[LogEntry]:
    row = VersionLifecycle.objects.get(version=version)
    return list(LogEntry.objects.filter(object_id=str(row.pk)).order_by("pk"))


def test_a_command_change_is_in_the_history_by_the_history_user(admin_client, capsys) -> None:
    call_command(
        "api_lifecycle", "deprecate", "1.0", "--deprecated-at", "2026-01-01",
        "--sunset", "2030-06-30T12:00", "--successor", "2.0",
    )  # fmt: skip
    [entry] = entries("1.0")
    assert entry.action_flag == CHANGE
    assert entry.get_change_message() == (
        "Deprecated from 2026-01-01 00:00 UTC, sunset 2030-06-30 12:00 UTC, successor 2.0."
    )
    assert entry.user.get_username() == "api-lifecycle"
    assert not entry.user.is_active and not entry.user.has_usable_password()
    row = VersionLifecycle.objects.get(version="1.0")
    page = admin_client.get(reverse("admin:versioning_app_versionlifecycle_history", args=[row.pk]))
    assert "Deprecated from 2026-01-01 00:00 UTC" in page.content.decode()


def test_code_changes_are_in_the_history_and_reuse_the_history_user() -> None:
    DeprecatedVersionFactory(version="0.9", successor=None)
    lifecycle.retire("0.9")
    lifecycle.cancel_deprecation(DeprecatedVersionFactory(version="1.1"))
    assert [e.get_change_message() for e in entries("0.9")] == [
        "Retired: the version answers 410 Gone."
    ]
    assert [e.get_change_message() for e in entries("1.1")] == [
        "Deprecation cancelled: stable again."
    ]
    assert get_user_model().objects.filter(username="api-lifecycle").count() == 1


def test_a_given_user_is_recorded(django_user_model) -> None:
    editor = django_user_model.objects.create_user("editor")
    VersionLifecycle.objects.filter(version="2.1").update(status="preview", released_at=None)
    lifecycle.stabilize("2.1", user=editor)
    [entry] = entries("2.1")
    assert entry.user == editor
    assert entry.get_change_message().startswith("Marked stable, released ")


@override_settings(VERSIONING_APP={**settings.VERSIONING_APP, "HISTORY_USER": None})
def test_without_a_history_user_code_changes_are_not_logged() -> None:
    DeprecatedVersionFactory(version="0.9", successor=None)
    lifecycle.retire("0.9")
    assert VersionLifecycle.objects.get(version="0.9").status == "retired"
    assert entries("0.9") == []
    assert not get_user_model().objects.filter(username="api-lifecycle").exists()


def test_an_admin_action_is_logged_once_by_its_user(admin_client, admin_user) -> None:
    DeprecatedVersionFactory(version="0.9", successor=None)
    row = VersionLifecycle.objects.get(version="0.9")
    response = admin_client.post(
        reverse("admin:versioning_app_versionlifecycle_changelist"),
        {"action": "retire", "_selected_action": [row.pk], "apply": "1"},
    )
    assert response.status_code == 302
    [entry] = entries("0.9")
    assert entry.user == admin_user
    assert entry.get_change_message() == "Retired: the version answers 410 Gone."


def test_a_refused_change_leaves_no_history() -> None:
    with pytest.raises(lifecycle.TransitionRefused):
        lifecycle.retire("2.1")
    assert entries("2.1") == []

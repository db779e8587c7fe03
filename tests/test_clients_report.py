"""The upgrade report: changes between a client's version and a target that touch its calls."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from tests.support.usage_support import UsageRecordFactory, UserFactory
from versioning_app.clients.models import Client, Pin
from versioning_app.clients.report import build_report
from versioning_app.usage.buffer import hash_client
from versioning_app.versions import VersionNumber

pytestmark = pytest.mark.django_db

SETTINGS = {"VERSIONS": "tests.testapp.versions.VERSIONS"}


@pytest.fixture
def alice() -> Client:
    user = UserFactory(username="alice")
    now = timezone.now()
    client = Client.objects.create(
        key=hash_client("user", user.pk), label="alice", first_seen=now, last_seen=now
    )
    Pin.objects.create(client=client, major=1, version="1.0", changed_at=now)
    UsageRecordFactory(version="1.0", route="book-list", client=client.key, count=5)
    UsageRecordFactory(version="1.0", route="book-similar", client=client.key, count=2)
    return client


@override_settings(VERSIONING_APP=SETTINGS)
def test_the_report_lists_the_changes_that_touch_the_calls(alice: Client) -> None:
    report = build_report(alice, VersionNumber(2, 0))
    assert (report.from_version, report.to_version) == ("1.0", "2.0")
    described = [(item.version, item.description) for item in report.changes]
    assert ("1.1", "Books have a `pages` count.") in described
    assert ("2.0", "`books/{id}/similar/` is gone.") in described
    assert ("2.0", "`published` is renamed `publication_date`.") in described
    # Authors endpoints were added, but alice never called them: not in her report.
    assert not any("Authors can be listed" in d for _, d in described)
    assert {c.route for c in report.calls} == {"book-list", "book-similar"}


@override_settings(VERSIONING_APP=SETTINGS)
def test_the_command_in_markdown_and_json(alice: Client) -> None:
    out = StringIO()
    call_command("api_upgrade_report", "alice", "--to", "2.0", stdout=out)
    assert out.getvalue().startswith("# Upgrade report: alice, 1.0 → 2.0")
    out = StringIO()
    call_command("api_upgrade_report", "alice", "--to", "1.1", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert [item["description"] for item in data["changes"]] == ["Books have a `pages` count."]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nobody", "--to", "2.0"), "No client is named nobody"),
        (("alice", "--to", "7.7"), "not a declared version"),
        (("alice", "--to", "1.0"), "the report is for a newer version"),
    ],
)
@override_settings(VERSIONING_APP=SETTINGS)
def test_the_command_refuses_bad_input(alice: Client, args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("api_upgrade_report", *args, stdout=StringIO())


@override_settings(VERSIONING_APP=SETTINGS)
def test_the_client_reads_its_own_report(alice: Client) -> None:
    api = APIClient()
    api.login(username="alice", password="secret")
    response = api.get("/api/clients/me/upgrade-report/", {"to": "2.0"})
    assert response.status_code == 200
    assert response.json()["client"] == "alice"
    refused = api.get("/api/clients/me/upgrade-report/", {"to": "bogus\r\nX: y"})
    assert refused.status_code == 400
    assert refused["Content-Type"] == "application/problem+json"
    assert APIClient().get("/api/clients/me/upgrade-report/", {"to": "2.0"}).status_code in (
        401, 403,
    )  # fmt: skip
    stranger = APIClient()
    stranger.force_authenticate(UserFactory(username="stranger"))
    assert stranger.get("/api/clients/me/upgrade-report/", {"to": "2.0"}).status_code == 404

"""``manage.py api_clients``: list, upgrade, rollback; refusals are CommandErrors, nothing saved."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from versioning_app.clients.models import Client, Pin, PinChange
from versioning_app.testing import LifecycleSnapshot, VersionState, serve_lifecycle
from versioning_app.versions import VersionNumber

pytestmark = pytest.mark.django_db

SETTINGS = {"VERSIONS": "tests.testapp.versions.VERSIONS", "CLIENTS_PINNING": True}


@pytest.fixture
def alice() -> Client:
    now = timezone.now()
    client = Client.objects.create(key="user:a1", label="alice", first_seen=now, last_seen=now)
    Pin.objects.create(client=client, major=2, version="2.0", changed_at=now)
    return client


def run(*args: str) -> str:
    out = StringIO()
    with override_settings(VERSIONING_APP=SETTINGS):
        call_command("api_clients", *args, stdout=out)
    return out.getvalue()


def test_list_shows_clients_and_pins(alice: Client) -> None:
    assert "alice\tpins: 2.0" in run("list")


def test_upgrade_then_rollback(alice: Client) -> None:
    assert "pinned to 2.1" in run("upgrade", "alice", "2.1")
    pin = Pin.objects.get()
    assert (pin.version, pin.previous) == ("2.1", "2.0")
    assert "back on 2.0" in run("rollback", "alice", "2")
    assert Pin.objects.get().version == "2.0"
    kinds = list(PinChange.objects.order_by("pk").values_list("kind", "from_version", "to_version"))
    assert kinds == [("upgraded", "2.0", "2.1"), ("rolled_back", "2.1", "2.0")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("upgrade", "nobody", "2.1"), "No client is named nobody"),
        (("upgrade", "alice", "9.9"), "not a declared version"),
        (("upgrade", "alice", "2.0"), "an upgrade goes to a newer version"),
        (("rollback", "alice", "2"), "no upgrade of major 2"),
        (("rollback", "alice", "x"), "not a major version number"),
    ],
)
def test_refusals_save_nothing(alice: Client, args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert Pin.objects.get().version == "2.0" and PinChange.objects.count() == 0


def test_no_upgrade_to_a_retired_version(alice: Client) -> None:
    v21 = VersionNumber(2, 1)
    retired = LifecycleSnapshot(versions={v21: VersionState(v21, status="retired")})
    with serve_lifecycle(retired), pytest.raises(CommandError, match="retired"):
        run("upgrade", "alice", "2.1")
    assert Pin.objects.get().version == "2.0"


def test_no_rollback_past_the_window(alice: Client) -> None:
    run("upgrade", "alice", "2.1")
    Pin.objects.update(changed_at=timezone.now() - datetime.timedelta(hours=73))
    with pytest.raises(CommandError, match="window of 72 hours"):
        run("rollback", "alice", "2")
    assert Pin.objects.get().version == "2.1"

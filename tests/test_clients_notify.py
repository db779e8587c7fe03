"""``api_notify_clients``: e-mails through Django's backend, once per version and client."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from tests.support.usage_support import UsageRecordFactory
from versioning_app.clients.models import Client, Notification
from versioning_app.testing import LifecycleSnapshot, VersionState, serve_lifecycle
from versioning_app.versions import VersionNumber

pytestmark = pytest.mark.django_db

V10, V20 = VersionNumber(1, 0), VersionNumber(2, 0)
SUNSET = datetime.datetime(2099, 5, 21, tzinfo=datetime.UTC)
DEPRECATED = LifecycleSnapshot(
    versions={V10: VersionState(V10, status="deprecated", sunset_at=SUNSET, successor=V20)}
)
SETTINGS = {"VERSIONS": "tests.testapp.versions.VERSIONS"}


@pytest.fixture
def callers() -> None:
    now = timezone.now()
    for key, label, email in (("user:a", "alice", "alice@example.com"), ("user:n", "nomail", "")):
        Client.objects.create(key=key, label=label, email=email, first_seen=now, last_seen=now)
        UsageRecordFactory(version="1.0", route="book-list", client=key, count=3)
    UsageRecordFactory(version="1.0", route="book-list", client="anonymous", count=3)


def run(*args: str) -> str:
    out = StringIO()
    with override_settings(
        VERSIONING_APP=SETTINGS, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
    ):
        call_command("api_notify_clients", *args, stdout=out)
    return out.getvalue()


@serve_lifecycle(DEPRECATED)
@pytest.mark.usefixtures("callers")
def test_each_contact_is_told_once_unless_forced() -> None:
    assert "would be told (dry run)" in run("1.0", "--dry-run")
    assert len(mail.outbox) == 0 and Notification.objects.count() == 0
    output = run("1.0")
    assert "alice <alice@example.com>: told" in output and "nomail <>: no contact e-mail" in output
    (message,) = mail.outbox
    assert message.to == ["alice@example.com"]
    assert "2099-05-21" in message.body and "version 2.0" in message.body
    assert "# Upgrade report: alice, 1.0 → 2.0" in message.body
    assert "already told" in run("1.0")
    assert len(mail.outbox) == 1
    run("1.0", "--force")
    assert len(mail.outbox) == 2 and Notification.objects.count() == 1


@pytest.mark.usefixtures("callers")
def test_a_version_that_is_not_deprecated_is_refused() -> None:
    with pytest.raises(CommandError, match="not deprecated"):
        run("1.0")
    with pytest.raises(CommandError, match="not a declared version"):
        run("9.9")
    assert len(mail.outbox) == 0

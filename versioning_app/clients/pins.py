"""Pin changes: an explicit upgrade, and its rollback within the window; nothing else moves a pin.

Both the admin and ``manage.py api_clients`` call these, so the rules are the same: an upgrade
goes to a newer minor of the pin's major that is not gone; a rollback restores the version
before the last upgrade while the window (``CLIENTS_ROLLBACK_HOURS``) is open. A refusal raises
:class:`PinRefused` and saves nothing. Every change adds a ``PinChange`` row; the admin and the
command add their own ``LogEntry`` (the admin history).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from versioning_app.clients.models import Client, Pin, PinChange
from versioning_app.conf import app_settings
from versioning_app.lifecycle.snapshot import get_snapshot
from versioning_app.versions import VersionNumber


class PinRefused(ValueError):
    """A pin change the rules refuse (the message says why); nothing was saved."""


def find_client(name: str) -> Client:
    """The client whose key or label is ``name``; raises ``PinRefused`` if none or several."""
    matches = list(Client.objects.filter(key=name)) or list(Client.objects.filter(label=name))
    if not matches:
        raise PinRefused(_("No client is named %(name)s.") % {"name": name})
    if len(matches) > 1:
        raise PinRefused(_("Several clients are labelled %(name)s: use the key.") % {"name": name})
    return matches[0]


def parse_version(value: str) -> VersionNumber:
    """A declared version, or ``PinRefused``."""
    try:
        number = VersionNumber.parse(value)
    except ValueError:
        number = None
    if number is None or number not in app_settings.versions:
        raise PinRefused(_("%(value)s is not a declared version.") % {"value": value[:32]})
    return number


def window() -> datetime.timedelta:
    """How long an upgrade can be rolled back."""
    return datetime.timedelta(hours=app_settings.CLIENTS_ROLLBACK_HOURS)


def upgrade(client: Client, target: VersionNumber, *, by: str = "") -> Pin:
    """Move the client's pin of ``target``'s major to ``target`` (newer, not gone)."""
    now = timezone.now()
    if get_snapshot().version(target).is_gone(now):
        raise PinRefused(_("Version %(v)s is retired: no client can move to it.") % {"v": target})
    with transaction.atomic():
        pin = Pin.objects.select_for_update().filter(client=client, major=target.major).first()
        if pin is None:
            pin = Pin.objects.create(
                client=client, major=target.major, version=str(target), changed_at=now
            )
            _history(client, target.major, PinChange.Kind.CREATED, "", str(target), now, by)
            return pin
        current = VersionNumber.parse(pin.version)
        if target <= current:
            raise PinRefused(
                _("%(client)s is pinned to %(current)s: an upgrade goes to a newer version.")
                % {"client": client, "current": current}
            )
        pin.previous, pin.version, pin.changed_at = pin.version, str(target), now
        pin.save()
        _history(client, target.major, PinChange.Kind.UPGRADED, str(current), str(target), now, by)
    return pin


def rollback(client: Client, major: int, *, by: str = "") -> Pin:
    """Put the client's pin of ``major`` back to the version before its last upgrade."""
    now = timezone.now()
    with transaction.atomic():
        pin = Pin.objects.select_for_update().filter(client=client, major=major).first()
        if pin is None or not pin.previous:
            raise PinRefused(
                _("%(client)s has no upgrade of major %(major)s to roll back.")
                % {"client": client, "major": major}
            )
        if now - pin.changed_at > window():
            raise PinRefused(
                _("The rollback window of %(hours)s hours after the upgrade has passed.")
                % {"hours": app_settings.CLIENTS_ROLLBACK_HOURS}
            )
        upgraded_to = pin.version
        pin.version, pin.previous, pin.changed_at = pin.previous, "", now
        pin.save()
        _history(client, major, PinChange.Kind.ROLLED_BACK, upgraded_to, pin.version, now, by)
    return pin


def rollback_until(pin: Pin) -> datetime.datetime | None:
    """Until when the pin's last upgrade can be rolled back, or None."""
    return pin.changed_at + window() if pin.previous else None


def _history(
    client: Client,
    major: int,
    kind: str,
    before: str,
    after: str,
    at: datetime.datetime,
    by: str,
) -> None:
    PinChange.objects.create(
        client=client, major=major, kind=kind, from_version=before, to_version=after, at=at, by=by
    )

"""The lifecycle rules, in one place: every change of a version's status goes through here.

``preview -> stable -> deprecated -> retired``; a deprecation can be cancelled (back to stable).
The admin actions, the ``api_lifecycle`` command and project code all call these functions
(re-exported by ``versioning_app.lifecycle``). A refused transition raises
:class:`TransitionRefused` with a message that says why, and saves nothing. The runtime reads
the result through the snapshot (``snapshot.py``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from versioning_app.lifecycle import history
from versioning_app.lifecycle.snapshot import (
    VersionState,
    get_snapshot,
)
from versioning_app.models import Status, VersionLifecycle
from versioning_app.versions import VersionNumber

__all__ = ["TransitionRefused", "cancel_deprecation", "deprecate", "retire", "stabilize"]

VersionRef = str | VersionNumber | VersionLifecycle


class TransitionRefused(Exception):
    """A lifecycle change that the rules forbid; ``str(exc)`` says why. Nothing was saved."""


def _number(ref: VersionRef) -> VersionNumber:
    if isinstance(ref, VersionLifecycle):
        return ref.number
    if isinstance(ref, VersionNumber):
        return ref
    try:
        return VersionNumber.parse(str(ref))
    except ValueError:
        raise TransitionRefused(f"{str(ref)[:20]!r} is not a version like 2.1.") from None


class _Rows:
    """Every lifecycle row, locked for the rest of the transaction (the table is small)."""

    def __init__(self) -> None:
        rows = VersionLifecycle.objects.select_for_update().order_by("major", "minor")
        self.by_number = {row.number: row for row in rows}

    def get(self, ref: VersionRef) -> VersionLifecycle:
        number = _number(ref)
        row = self.by_number.get(number)
        if row is None:
            raise TransitionRefused(
                f"Version {number} has no lifecycle row; is it declared? "
                "Run `manage.py api_versions --sync`."
            )
        return row

    def stable_besides(self, row: VersionLifecycle) -> list[VersionLifecycle]:
        return [
            other
            for other in self.by_number.values()
            if other.pk != row.pk and other.status == Status.STABLE
        ]


def _refuse_last_stable(rows: _Rows, row: VersionLifecycle, verb: str) -> None:
    if row.status == Status.STABLE and not rows.stable_besides(row):
        raise TransitionRefused(
            f"Cannot {verb} {row.version}: it is the last stable version. "
            "Mark a newer version stable first."
        )


def _check_successor(rows: _Rows, row: VersionLifecycle, ref: VersionRef) -> VersionLifecycle:
    successor = rows.get(ref)
    if successor.number <= row.number:
        raise TransitionRefused(
            f"The successor of {row.version} must be a newer version; {successor.version} is not."
        )
    if successor.status == Status.RETIRED:
        raise TransitionRefused(
            f"{successor.version} is retired and cannot be the successor of {row.version}."
        )
    return successor


def _aware(value: datetime.datetime | None) -> datetime.datetime | None:
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value, datetime.UTC)
    return value


@transaction.atomic
def stabilize(
    version: VersionRef, *, released_at: datetime.datetime | None = None, user: Any = None
) -> VersionLifecycle:
    """Mark a preview version stable (``released_at`` defaults to now).

    ``user`` (every rule takes it): who made the change, for the admin history.
    """
    rows = _Rows()
    row = rows.get(version)
    if row.status == Status.DEPRECATED:
        raise TransitionRefused(
            f"{row.version} is deprecated; cancel its deprecation to make it stable again."
        )
    if row.status != Status.PREVIEW:
        raise TransitionRefused(
            f"Only a preview version can be marked stable; {row.version} is {row.status}."
        )
    row.status = Status.STABLE
    row.released_at = _aware(released_at) or timezone.now()
    row.save(update_fields=["status", "released_at", "updated_at"])
    history.record(row, history.stabilized(row), user)
    return row


@transaction.atomic
def deprecate(
    version: VersionRef,
    *,
    deprecated_at: datetime.datetime | None = None,
    sunset_at: datetime.datetime | None = None,
    successor: VersionRef | None = None,
    documentation_url: str | None = None,
    user: Any = None,
) -> VersionLifecycle:
    """Deprecate a stable version, or change the dates, successor or link of a deprecated one.

    ``deprecated_at`` defaults to now (or the current date of an already deprecated version);
    ``None`` for the other arguments keeps what the row already has.
    """
    rows = _Rows()
    row = rows.get(version)
    if row.status == Status.PREVIEW:
        raise TransitionRefused(
            f"{row.version} is a preview; mark it stable before deprecating it."
        )
    if row.status == Status.RETIRED:
        raise TransitionRefused(f"{row.version} is retired; it cannot be deprecated again.")
    _refuse_last_stable(rows, row, "deprecate")
    new_deprecated_at = _aware(deprecated_at) or row.deprecated_at or timezone.now()
    new_sunset_at = _aware(sunset_at) if sunset_at is not None else row.sunset_at
    if new_sunset_at is not None and new_sunset_at < new_deprecated_at:
        raise TransitionRefused(
            f"The sunset of {row.version} ({new_sunset_at:%Y-%m-%d %H:%M} UTC) is before its "
            f"deprecation ({new_deprecated_at:%Y-%m-%d %H:%M} UTC)."
        )
    new_successor = row.successor
    if successor is not None:
        new_successor = _check_successor(rows, row, successor)
    row.status = Status.DEPRECATED
    row.deprecated_at, row.sunset_at, row.successor = (
        new_deprecated_at,
        new_sunset_at,
        new_successor,
    )
    if documentation_url is not None:
        row.documentation_url = documentation_url
    row.save(
        update_fields=[
            "status",
            "deprecated_at",
            "sunset_at",
            "successor",
            "documentation_url",
            "updated_at",
        ]
    )
    history.record(row, history.deprecated(row), user)
    return row


@transaction.atomic
def retire(version: VersionRef, *, user: Any = None) -> VersionLifecycle:
    """Retire a deprecated version: from now on it answers 410 Gone."""
    rows = _Rows()
    row = rows.get(version)
    _refuse_last_stable(rows, row, "retire")
    if row.status == Status.RETIRED:
        raise TransitionRefused(f"{row.version} is already retired.")
    if row.status != Status.DEPRECATED:
        raise TransitionRefused(
            f"Only a deprecated version can be retired; deprecate {row.version} first."
        )
    waiting = [
        other.version
        for other in rows.by_number.values()
        if other.successor_id == row.pk and other.status != Status.RETIRED
    ]
    if waiting:
        raise TransitionRefused(
            f"{row.version} is the successor of {', '.join(waiting)}; give "
            f"{'it' if len(waiting) == 1 else 'them'} another successor before retiring it."
        )
    row.status = Status.RETIRED
    row.save(update_fields=["status", "updated_at"])
    history.record(row, history.retired(row), user)
    return row


@transaction.atomic
def cancel_deprecation(version: VersionRef, *, user: Any = None) -> VersionLifecycle:
    """Undo a deprecation: the version is stable again, its dates and successor cleared."""
    rows = _Rows()
    row = rows.get(version)
    if row.status != Status.DEPRECATED:
        raise TransitionRefused(f"{row.version} is {row.status}, not deprecated.")
    row.status = Status.STABLE
    row.deprecated_at = row.sunset_at = row.successor = None
    row.save(update_fields=["status", "deprecated_at", "sunset_at", "successor", "updated_at"])
    history.record(row, history.cancelled(row), user)
    return row


def version_state(number: VersionNumber) -> VersionState:
    """The served state of one version (a shortcut for ``get_snapshot().version(number)``)."""
    return get_snapshot().version(number)

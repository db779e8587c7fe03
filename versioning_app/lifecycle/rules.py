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

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from versioning_app.lifecycle import clock, history
from versioning_app.lifecycle.snapshot import (
    VersionState,
    get_snapshot,
)
from versioning_app.models import Status, VersionLifecycle
from versioning_app.versions import VersionNumber

__all__ = [
    "TransitionRefused",
    "cancel_deprecation",
    "deprecate",
    "retire",
    "set_policies",
    "stabilize",
]

VersionRef = str | VersionNumber | VersionLifecycle


class TransitionRefused(Exception):
    """A lifecycle change that the rules forbid; ``str(exc)`` says why. Nothing was saved."""


#: The one check of a documentation link, for the Python API, the admin and the command alike:
#: an absolute http(s) URL (it is rendered as a link on the changelog and sent in ``Link``).
validate_documentation_url = URLValidator(schemes=["http", "https"])


def _number(ref: VersionRef) -> VersionNumber:
    if isinstance(ref, VersionLifecycle):
        return ref.number
    if isinstance(ref, VersionNumber):
        return ref
    try:
        return VersionNumber.parse(str(ref))
    except ValueError:
        raise TransitionRefused(
            _("%(value)r is not a version like 2.1.") % {"value": str(ref)[:20]}
        ) from None


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
                _(
                    "Version %(version)s has no lifecycle row; is it declared? "
                    "Run `manage.py api_versions --sync`."
                )
                % {"version": number}
            )
        return row

    def successor_of(self, row: VersionLifecycle) -> VersionLifecycle | None:
        """Where clients of ``row`` go: its successor, else the newest newer stable version."""
        if row.successor_id is not None:
            for other in self.by_number.values():
                if other.pk == row.successor_id:
                    return other
        newer = [
            other
            for other in self.by_number.values()
            if other.status == Status.STABLE and other.number > row.number
        ]
        return max(newer, key=lambda other: other.number, default=None)

    def stable_besides(self, row: VersionLifecycle) -> list[VersionLifecycle]:
        return [
            other
            for other in self.by_number.values()
            if other.pk != row.pk and other.status == Status.STABLE
        ]


def _refuse_last_stable(rows: _Rows, row: VersionLifecycle, verb: str) -> None:
    if row.status == Status.STABLE and not rows.stable_besides(row):
        message = (
            _(
                "Cannot deprecate %(version)s: it is the last stable version. "
                "Mark a newer version stable first."
            )
            if verb == "deprecate"
            else _(
                "Cannot retire %(version)s: it is the last stable version. "
                "Mark a newer version stable first."
            )
        )
        raise TransitionRefused(message % {"version": row.version})


def _check_successor(rows: _Rows, row: VersionLifecycle, ref: VersionRef) -> VersionLifecycle:
    successor = rows.get(ref)
    if successor.number <= row.number:
        raise TransitionRefused(
            _("The successor of %(version)s must be a newer version; %(successor)s is not.")
            % {"version": row.version, "successor": successor.version}
        )
    if successor.status == Status.RETIRED:
        raise TransitionRefused(
            _("%(successor)s is retired and cannot be the successor of %(version)s.")
            % {"version": row.version, "successor": successor.version}
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
            _("%(version)s is deprecated; cancel its deprecation to make it stable again.")
            % {"version": row.version}
        )
    if row.status != Status.PREVIEW:
        raise TransitionRefused(
            _("Only a preview version can be marked stable; %(version)s is %(status)s.")
            % {"version": row.version, "status": row.get_status_display()}
        )
    row.status = Status.STABLE
    row.released_at = _aware(released_at) or clock.now()
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
    if documentation_url:
        try:
            validate_documentation_url(documentation_url)
        except ValidationError:
            raise TransitionRefused("The documentation link must be an http(s) URL.") from None
    rows = _Rows()
    row = rows.get(version)
    if row.status == Status.PREVIEW:
        raise TransitionRefused(
            _("%(version)s is a preview; mark it stable before deprecating it.")
            % {"version": row.version}
        )
    if row.status == Status.RETIRED:
        raise TransitionRefused(
            _("%(version)s is retired; it cannot be deprecated again.") % {"version": row.version}
        )
    _refuse_last_stable(rows, row, "deprecate")
    new_deprecated_at = _aware(deprecated_at) or row.deprecated_at or clock.now()
    new_sunset_at = _aware(sunset_at) if sunset_at is not None else row.sunset_at
    if new_sunset_at is not None and new_sunset_at < new_deprecated_at:
        raise TransitionRefused(
            _(
                "The sunset of %(version)s (%(sunset)s UTC) is before its deprecation "
                "(%(date)s UTC)."
            )
            % {
                "version": row.version,
                "sunset": f"{new_sunset_at:%Y-%m-%d %H:%M}",
                "date": f"{new_deprecated_at:%Y-%m-%d %H:%M}",
            }
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
        raise TransitionRefused(_("%(version)s is already retired.") % {"version": row.version})
    if row.status != Status.DEPRECATED:
        raise TransitionRefused(
            _("Only a deprecated version can be retired; deprecate %(version)s first.")
            % {"version": row.version}
        )
    waiting = [
        other.version
        for other in rows.by_number.values()
        if other.successor_id == row.pk and other.status != Status.RETIRED
    ]
    if waiting:
        raise TransitionRefused(
            ngettext(
                "%(version)s is the successor of %(waiting)s; give it another successor "
                "before retiring it.",
                "%(version)s is the successor of %(waiting)s; give them another successor "
                "before retiring it.",
                len(waiting),
            )
            % {"version": row.version, "waiting": ", ".join(waiting)}
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
        raise TransitionRefused(
            _("%(version)s is %(status)s, not deprecated.")
            % {"version": row.version, "status": row.get_status_display()}
        )
    row.status = Status.STABLE
    row.deprecated_at = row.sunset_at = row.successor = None
    row.save(update_fields=["status", "deprecated_at", "sunset_at", "successor", "updated_at"])
    history.record(row, history.cancelled(row), user)
    return row


#: Every lifecycle row locked for the transaction, for ``schedule`` (the brownout rules) too.
LockedRows = _Rows

#: "Leave as it is" for :func:`set_policies`.
KEEP: Any = object()


def refuse_policies(
    rows: _Rows,
    row: VersionLifecycle,
    read_only: bool,
    new_clients_until: datetime.datetime | None,
) -> None:
    """Raise :class:`TransitionRefused` when the policies cannot apply to ``row``, saying why."""
    if not read_only and new_clients_until is None:
        return  # clearing the policies is always allowed
    if row.status == Status.RETIRED:
        raise TransitionRefused(
            f"{row.version} is retired: it already answers 410 to every request, so a policy "
            "would change nothing."
        )
    if rows.successor_of(row) is None:
        policy = "read-only" if read_only else "no new clients"
        raise TransitionRefused(
            f"Cannot make {row.version} {policy}: it has no successor and no newer stable "
            "version, so its clients would have nowhere to go. Deprecate it with a successor, "
            "or mark a newer version stable, first."
        )
    if (
        new_clients_until is not None
        and row.sunset_at is not None
        and new_clients_until >= row.sunset_at
    ):
        raise TransitionRefused(
            f"No new clients from {new_clients_until:%Y-%m-%d %H:%M} UTC would change nothing: "
            f"{row.version} answers 410 to every client from its sunset "
            f"({row.sunset_at:%Y-%m-%d %H:%M} UTC). Choose an earlier date."
        )


@transaction.atomic
def set_policies(
    version: VersionRef,
    *,
    read_only: bool | None = None,
    new_clients_until: datetime.datetime | None = KEEP,
) -> VersionLifecycle:
    """Set a version's policies: read-only (writes get 410), no new clients after a date.

    ``read_only`` None and ``new_clients_until`` left out keep what the row has; pass
    ``new_clients_until=None`` to accept new clients again. Both need somewhere for clients
    to go (a successor or a newer stable version), and neither applies to a retired version.
    """
    rows = _Rows()
    row = rows.get(version)
    new_read_only = row.read_only if read_only is None else bool(read_only)
    new_until = row.new_clients_until if new_clients_until is KEEP else _aware(new_clients_until)
    refuse_policies(rows, row, new_read_only, new_until)
    row.read_only, row.new_clients_until = new_read_only, new_until
    row.save(update_fields=["read_only", "new_clients_until", "updated_at"])
    return row


def version_state(number: VersionNumber) -> VersionState:
    """The served state of one version (a shortcut for ``get_snapshot().version(number)``)."""
    return get_snapshot().version(number)

"""Scheduling brownouts through the rules: one window, or an escalating plan before a sunset.

The admin, ``manage.py api_lifecycle brownout`` and project code all schedule here (re-exported
by ``versioning_app.lifecycle``). A refused window raises ``TransitionRefused`` with the reason
and saves nothing; a plan is saved whole or not at all.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction

from versioning_app.conf import app_settings
from versioning_app.lifecycle import clock
from versioning_app.lifecycle.brownouts import (
    DEFAULT_PLAN_APART,
    DEFAULT_PLAN_HOURS,
    MAX_WINDOW,
    escalation_plan,
)
from versioning_app.lifecycle.models import MAX_LISTED_CLIENTS, Brownout
from versioning_app.lifecycle.rules import LockedRows, TransitionRefused, VersionRef
from versioning_app.models import Status, VersionLifecycle
from versioning_app.routing import mounted_versions

#: The longest client key (the usage rows' own bound).
MAX_CLIENT_KEY = 64


def _aware(moment: datetime.datetime) -> datetime.datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=datetime.UTC)
    return moment


def refuse_brownout(
    rows: LockedRows,
    row: VersionLifecycle,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    route: str = "",
    clients: Iterable[str] = (),
    share: int | None = None,
) -> None:
    """Raise ``TransitionRefused`` when this window cannot be scheduled, saying why."""
    keys = list(clients)
    if row.status == Status.RETIRED:
        raise TransitionRefused(
            f"{row.version} is retired: it already answers 410 for good, a brownout would "
            "change nothing."
        )
    if ends_at <= starts_at:
        raise TransitionRefused("A brownout must end after it starts.")
    if ends_at - starts_at > MAX_WINDOW:
        raise TransitionRefused(
            f"A brownout lasts at most {MAX_WINDOW.days} days; a longer one is a retirement."
        )
    if ends_at <= clock.now():
        raise TransitionRefused("This brownout would already be over; choose a later start.")
    if row.sunset_at is not None and starts_at >= row.sunset_at:
        raise TransitionRefused(
            f"{row.version} answers 410 from its sunset ({row.sunset_at:%Y-%m-%d %H:%M} UTC); "
            "a brownout rehearses it before that date."
        )
    if rows.successor_of(row) is None:
        raise TransitionRefused(
            f"{row.version} has no successor and no newer stable version: a brownout would "
            "send its clients nowhere. Deprecate it with a successor first."
        )
    if keys and share is not None:
        raise TransitionRefused("Target listed clients or a share of clients, not both.")
    if share is not None and not 1 <= share <= 100:
        raise TransitionRefused("The share of clients is a percentage from 1 to 100.")
    if len(keys) > MAX_LISTED_CLIENTS:
        raise TransitionRefused(f"List at most {MAX_LISTED_CLIENTS} clients per brownout.")
    if any(len(key) > MAX_CLIENT_KEY or not key.isprintable() for key in keys):
        raise TransitionRefused(
            f"A client key is at most {MAX_CLIENT_KEY} printable characters, as usage shows it."
        )
    if route:
        _majors, routes = mounted_versions()
        endpoints = app_settings.versions.endpoints
        if route not in routes or not endpoints.route_in_version(route, row.number):
            raise TransitionRefused(
                f"{route[:200]!r} is not an endpoint (route name) of version {row.version}."
            )


@transaction.atomic
def schedule_brownout(
    version: VersionRef,
    *,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime | None = None,
    minutes: int | None = None,
    route: str = "",
    clients: Iterable[str] = (),
    share: int | None = None,
    note: str = "",
) -> Brownout:
    """Schedule one brownout of ``version`` (or of one endpoint, or for some clients).

    Give the end as ``ends_at`` or as a length in ``minutes``; naive times are UTC.
    """
    rows = LockedRows()
    row = rows.get(version)
    starts_at = _aware(starts_at)
    if (ends_at is None) == (minutes is None):
        raise TransitionRefused("Give the brownout's end or its length in minutes (one of them).")
    if ends_at is None:
        assert minutes is not None
        if minutes < 1:
            raise TransitionRefused("A brownout lasts at least one minute.")
        ends_at = starts_at + datetime.timedelta(minutes=minutes)
    ends_at = _aware(ends_at)
    keys = sorted({key.strip() for key in clients if key.strip()})
    refuse_brownout(rows, row, starts_at, ends_at, route, keys, share)
    return Brownout.objects.create(
        version=row,
        starts_at=starts_at,
        ends_at=ends_at,
        route=route,
        clients="\n".join(keys),
        share=share,
        note=note,
    )


@transaction.atomic
def plan_brownouts(
    version: VersionRef,
    *,
    hours: Iterable[int] = DEFAULT_PLAN_HOURS,
    apart: datetime.timedelta = DEFAULT_PLAN_APART,
    route: str = "",
    share: int | None = None,
) -> list[Brownout]:
    """Schedule an escalating series before the version's sunset (by default 1 h, 4 h and 24 h,
    a week apart, the last a week before the sunset); all of it or nothing."""
    rows = LockedRows()
    row = rows.get(version)
    if row.sunset_at is None:
        raise TransitionRefused(
            f"{row.version} has no sunset date; deprecate it with a sunset to plan brownouts."
        )
    plan = escalation_plan(row.sunset_at, clock.now(), hours, apart)
    if not plan:
        raise TransitionRefused(
            f"The sunset of {row.version} ({row.sunset_at:%Y-%m-%d %H:%M} UTC) is too close "
            "for this plan: every window would already have started."
        )
    created = []
    for starts_at, ends_at in plan:
        refuse_brownout(rows, row, starts_at, ends_at, route, (), share)
        created.append(
            Brownout.objects.create(
                version=row,
                starts_at=starts_at,
                ends_at=ends_at,
                route=route,
                share=share,
                note="planned before the sunset",
            )
        )
    return created

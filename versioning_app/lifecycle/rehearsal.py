"""Brownouts and policies in a request's verdict: the rehearsal of a sunset.

``verdict.py`` asks :func:`rehearse` about a version that has brownout windows or a policy
(read-only, no new clients). The answer is the problem to refuse the request with, if any, and
the span of time over which that answer holds for every request like this one: a verdict made
at one moment is remembered (``versioning.py``) only until the next window starts or ends or
the next policy date passes. The verdict shared by every client is made for an anonymous one;
while a window that targets clients is under way, or the version is closed to new clients, it
says ``per_client`` and the versioning class asks again once it knows the client.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext

from versioning_app.errors import BrownoutInProgress, NewClientsClosed, Problem, VersionReadOnly
from versioning_app.lifecycle.brownouts import BrownoutState, active_window
from versioning_app.lifecycle.snapshot import VersionState
from versioning_app.versions import VersionNumber

#: The methods a read-only version refuses (HEAD is already folded into GET).
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

#: When a client was first seen (None: never yet, so it is new now).
FirstSeen = Callable[[str], datetime.datetime | None]


@dataclass(frozen=True, slots=True)
class Rehearsal:
    """The problem a rehearsal answers with (None: served), and when that answer holds."""

    problem: Problem | None = None
    #: The answer holds from this moment (the last boundary passed)...
    valid_from: datetime.datetime | None = None
    #: ...until this one (the next boundary).
    valid_until: datetime.datetime | None = None
    #: Whether an identified client may get another answer (ask again with its key).
    per_client: bool = False


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def rehearse(
    state: VersionState,
    windows: Sequence[BrownoutState],
    route: str | None,
    method: str,
    client: str | None,
    now: datetime.datetime,
    successor: VersionNumber | None,
    first_seen: FirstSeen | None = None,
) -> Rehearsal:
    """What the version's brownouts and policies say about one request at ``now``.

    A brownout wins over read-only, which wins over no-new-clients. ``client`` is the
    request's client key (None: anonymous); ``first_seen`` says when a client was first seen.
    """
    boundaries = [moment for window in windows for moment in (window.starts_at, window.ends_at)]
    closed_since = state.new_clients_until
    if closed_since is not None:
        boundaries.append(closed_since)
    valid_from = max((moment for moment in boundaries if moment <= now), default=None)
    valid_until = min((moment for moment in boundaries if moment > now), default=None)
    closed = closed_since is not None and closed_since <= now
    per_client = closed or any(
        window.targets_clients and window.is_active(now) and window.route in ("", route)
        for window in windows
    )
    window = active_window(windows, route, client, now)
    problem: Problem | None = None
    if window is not None:
        problem = brownout_problem(state, window, successor, now)
    elif state.read_only and method in WRITE_METHODS:
        problem = read_only_problem(state, successor)
    elif closed and client is not None and first_seen is not None:
        assert closed_since is not None
        seen = first_seen(client)
        if seen is None or seen > closed_since:
            problem = new_clients_problem(state, closed_since, successor)
    return Rehearsal(problem, valid_from, valid_until, per_client)


def _successor_members(successor: VersionNumber | None) -> tuple[str, dict[str, str]]:
    if successor is None:
        return "", {}
    use = " " + gettext("Use version %(successor)s.") % {"successor": successor}
    return use, {"successor": str(successor)}


def brownout_problem(
    state: VersionState,
    window: BrownoutState,
    successor: VersionNumber | None,
    now: datetime.datetime,
) -> Problem:
    """The 410 ``brownout`` problem: the window's end, ``Retry-After`` seconds until then."""
    use, members = _successor_members(successor)
    detail = gettext(
        "API version %(version)s is in a scheduled brownout until %(end)s, a rehearsal of "
        "its retirement."
    ) % {"version": state.number, "end": _iso(window.ends_at)}
    if state.sunset_at is not None:
        detail += " " + gettext("Its sunset is %(sunset)s.") % {"sunset": _iso(state.sunset_at)}
        members["sunset"] = _iso(state.sunset_at)
    problem = BrownoutInProgress(
        detail + use,
        version=str(state.number),
        brownout_ends_at=_iso(window.ends_at),
        **members,
    )
    seconds = max(1, math.ceil((window.ends_at - now).total_seconds()))
    problem.headers["Retry-After"] = str(seconds)
    return problem


def read_only_problem(state: VersionState, successor: VersionNumber | None) -> Problem:
    """The 410 ``read-only`` problem of a write to a read-only version."""
    use, members = _successor_members(successor)
    detail = gettext("API version %(version)s is read-only: reads work, writes are refused.") % {
        "version": state.number
    }
    return VersionReadOnly(detail + use, version=str(state.number), **members)


def new_clients_problem(
    state: VersionState, closed_since: datetime.datetime, successor: VersionNumber | None
) -> Problem:
    """The 400 problem of a client first seen after the version closed to new clients."""
    use, members = _successor_members(successor)
    detail = gettext("API version %(version)s accepts no new clients since %(date)s.") % {
        "version": state.number,
        "date": _iso(closed_since),
    }
    return NewClientsClosed(
        detail + use,
        version=str(state.number),
        new_clients_until=_iso(closed_since),
        **members,
    )

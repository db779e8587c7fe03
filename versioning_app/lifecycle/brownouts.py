"""Brownouts: scheduled windows in which a version (or one endpoint of it) answers 410.

Teams schedule them before a sunset, so that clients notice in time rather than on the day
they break. A window names a version, a start and an end, and optionally one endpoint (a route
name) and some clients: listed client keys, or a stable share of all clients. Membership of a
share is a pure function of the client key (a hash), so the same client is always in or always
out, and a 25 % share holds every client of a 10 % share. Anonymous requests have no client
key: they are outside every window that targets clients.

The rows (``versioning_app.lifecycle.models.Brownout``) reach every worker through the
lifecycle snapshot as :class:`BrownoutState`; the verdict (``verdict.py``) asks
:func:`active_window` and builds the 410 from it. :func:`escalation_plan` computes the
escalating series that ``api_lifecycle brownout --plan`` creates before a sunset.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from versioning_app.versions import VersionNumber

#: The longest window accepted (a brownout is a rehearsal, not a sunset).
MAX_WINDOW = datetime.timedelta(days=7)
#: How long an ended window stays in the snapshot (the admin's calendar reads the rows).
KEPT_AFTER_END = datetime.timedelta(days=30)
#: The default escalation before a sunset: windows of 1, 4 and 24 hours...
DEFAULT_PLAN_HOURS = (1, 4, 24)
#: ...one week apart, the last one a week before the sunset.
DEFAULT_PLAN_APART = datetime.timedelta(weeks=1)


@dataclass(frozen=True)
class BrownoutState:
    """One scheduled window, as the runtime sees it."""

    version: VersionNumber
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    #: The route name of the one endpoint concerned; "" for every endpoint of the version.
    route: str = ""
    #: Client keys concerned (empty: not narrowed to listed clients).
    clients: frozenset[str] = field(default_factory=frozenset)
    #: Percent of clients concerned (None: not narrowed to a share).
    share: int | None = None
    note: str = ""

    @property
    def targets_clients(self) -> bool:
        """Whether the window concerns some clients only (its verdict depends on the client)."""
        return bool(self.clients) or self.share is not None

    def is_active(self, now: datetime.datetime) -> bool:
        """Whether ``now`` falls in the window (start included, end excluded)."""
        return self.starts_at <= now < self.ends_at

    def concerns(self, route: str | None, client: str | None) -> bool:
        """Whether a request to ``route`` by ``client`` is in the window (time aside)."""
        if self.route and self.route != route:
            return False
        if not self.targets_clients:
            return True
        if client is None:
            return False  # anonymous: nothing stable to target
        if self.clients:
            return client in self.clients
        return self.share is not None and in_share(client, self.share)


# Bounded: client keys are few per process (identified clients), and this is cheap anyway.
@functools.lru_cache(maxsize=4096)
def share_bucket(client: str) -> int:
    """A client's fixed place in 0..9999: in a share of p % when below ``p * 100``."""
    digest = hashlib.sha256(client.encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:4], "big") % 10000


def in_share(client: str, percent: int) -> bool:
    """Whether ``client`` is in a share of ``percent`` % of clients (same answer every time)."""
    return share_bucket(client) < percent * 100


def active_window(
    windows: Iterable[BrownoutState],
    route: str | None,
    client: str | None,
    now: datetime.datetime,
) -> BrownoutState | None:
    """The window ``now`` that concerns this request; the one ending last if several do."""
    found = None
    for window in windows:
        if (
            window.is_active(now)
            and window.concerns(route, client)
            and (found is None or window.ends_at > found.ends_at)
        ):
            found = window
    return found


def escalation_plan(
    sunset: datetime.datetime,
    now: datetime.datetime,
    hours: Iterable[int] = DEFAULT_PLAN_HOURS,
    apart: datetime.timedelta = DEFAULT_PLAN_APART,
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """``(start, end)`` of each escalating window before ``sunset`` that is still ahead.

    The windows last ``hours`` each, in that order, start ``apart`` from each other, and the
    last one starts ``apart`` before the sunset: by default 1 h three weeks before, 4 h two
    weeks before, 24 h one week before.
    """
    lengths = list(hours)
    planned = []
    for index, length in enumerate(lengths):
        start = sunset - apart * (len(lengths) - index)
        if start > now:
            planned.append((start, start + datetime.timedelta(hours=length)))
    return planned

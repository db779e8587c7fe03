"""The retire decision by client: who still calls a version, their trend, and how far they moved.

For a version's retire confirmation: each identified client that called it in the period, by
label, with its requests, its trend (the last 7 days against the 7 before) and the share of its
traffic (this version plus the successor) already on the successor; anonymous traffic apart.
"Safe to retire" means no identified client called the version in the period, and is only said
of a deprecated version. A fixed number of queries whatever the number of clients.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, Q, Sum

from versioning_app.clients.models import Client
from versioning_app.lifecycle.snapshot import DEPRECATED, get_snapshot
from versioning_app.models import UsageRecord
from versioning_app.usage.buffer import ANONYMOUS
from versioning_app.versions import VersionNumber

TREND_DAYS = 7
#: The clients listed; the rest are counted.
MAX_CLIENTS = 50


@dataclass(frozen=True)
class ClientCalls:
    """One client's calls to the version being retired."""

    key: str
    label: str
    requests: int
    last_seen: datetime.datetime | None
    last_week: int
    week_before: int
    on_successor: float | None  # share of (version + successor) traffic on the successor

    @property
    def trend(self) -> int:
        """Requests in the last 7 days minus the 7 days before (negative: moving away)."""
        return self.last_week - self.week_before


@dataclass(frozen=True)
class RetireDecision:
    """Who would break if the version were retired."""

    version: str
    days: int
    deprecated: bool
    successor: str | None
    clients: list[ClientCalls] = field(default_factory=list)
    more_clients: int = 0
    anonymous_requests: int = 0

    @property
    def safe_to_retire(self) -> bool | None:
        """No identified client in the period; None (not said) unless the version is deprecated."""
        if not self.deprecated:
            return None
        return not self.clients


def _successor(version: VersionNumber) -> VersionNumber | None:
    return get_snapshot().version(version).successor


def retire_decision(version: str, days: int, today: datetime.date | None = None) -> RetireDecision:
    """The retire decision of ``version`` over the last ``days`` days."""
    today = today or datetime.datetime.now(datetime.UTC).date()
    start = today - datetime.timedelta(days=days - 1)
    week = today - datetime.timedelta(days=TREND_DAYS - 1)
    before = week - datetime.timedelta(days=TREND_DAYS)
    try:
        number: VersionNumber | None = VersionNumber.parse(version)
    except ValueError:
        number = None
    successor = _successor(number) if number is not None else None
    deprecated = number is not None and get_snapshot().version(number).status == DEPRECATED
    rows = (
        UsageRecord.objects.filter(version=version, day__gte=min(start, before))
        .values("client")
        .annotate(
            requests=Sum("count", filter=Q(day__gte=start)),
            last_seen=Max("last_seen", filter=Q(day__gte=start)),
            last_week=Sum("count", filter=Q(day__gte=week)),
            week_before=Sum("count", filter=Q(day__gte=before, day__lt=week)),
        )
    )
    figures: dict[str, Any] = {row["client"]: row for row in rows if row["requests"]}
    anonymous_row = figures.pop(ANONYMOUS, None)
    anonymous = int(anonymous_row["requests"]) if anonymous_row else 0
    moved: dict[str, int] = {}
    if successor is not None and figures:
        moved = dict(
            UsageRecord.objects.filter(
                version=str(successor), day__gte=start, client__in=list(figures)
            )
            .values("client")
            .annotate(n=Sum("count"))
            .values_list("client", "n")
        )
    labels = dict(Client.objects.filter(key__in=list(figures)).values_list("key", "label"))
    clients = [
        ClientCalls(
            key=key,
            label=labels.get(key) or key,
            requests=row["requests"],
            last_seen=row["last_seen"],
            last_week=row["last_week"] or 0,
            week_before=row["week_before"] or 0,
            on_successor=(
                moved.get(key, 0) / (moved.get(key, 0) + row["requests"])
                if successor is not None
                else None
            ),
        )
        for key, row in figures.items()
    ]
    clients.sort(key=lambda calls: (-calls.requests, calls.label))
    return RetireDecision(
        version=version,
        days=days,
        deprecated=deprecated,
        successor=str(successor) if successor is not None else None,
        clients=clients[:MAX_CLIENTS],
        more_clients=max(0, len(clients) - MAX_CLIENTS),
        anonymous_requests=anonymous,
    )

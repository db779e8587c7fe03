"""Requests per day and version over a period: the data of the admin's usage charts."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Sum

from versioning_app.usage.stats import DEFAULT_DAYS, period_start, records


def period_days(
    days: int = DEFAULT_DAYS, today: datetime.date | None = None
) -> list[datetime.date]:
    """The days (UTC) of the last ``days`` days, oldest first, today included."""
    first = period_start(days, today)
    return [first + datetime.timedelta(days=offset) for offset in range(days)]


def daily_requests(
    days: int = DEFAULT_DAYS,
    *,
    versions: Iterable[str] | None = None,
    today: datetime.date | None = None,
) -> dict[str, list[int]]:
    """Per version, its requests on each day of ``period_days()`` (zeros included); one query.

    With ``versions``, exactly those versions (called or not); otherwise those called.
    """
    index = {day: position for position, day in enumerate(period_days(days, today))}
    rows = records(days, today=today)
    wanted = None if versions is None else list(versions)
    if wanted is not None:
        rows = rows.filter(version__in=wanted)
    series: dict[str, list[int]] = {version: [0] * days for version in wanted or []}
    for version, day, count in (
        rows.order_by()
        .values("version", "day")
        .annotate(n=Sum("count"))
        .values_list("version", "day", "n")
    ):
        if day in index:
            series.setdefault(version, [0] * days)[index[day]] = int(count or 0)
    return series

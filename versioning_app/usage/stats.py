"""Usage figures for people: per version, endpoint and client over a period; safe to retire?"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypedDict

from django.db.models import (
    Count,
    Expression,
    Max,
    OuterRef,
    PositiveBigIntegerField,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.expressions import BaseExpression
from django.db.models.functions import Coalesce
from django.utils import timezone

from versioning_app.conf import app_settings
from versioning_app.models import UsageFlush, UsageRecord
from versioning_app.versions import VersionNumber

#: What a usage table can be grouped by.
GROUPS: dict[str, tuple[str, ...]] = {
    "version": ("version",),
    "endpoint": ("version", "route", "method"),
    "client": ("version", "client"),
    "endpoint-client": ("version", "route", "method", "client"),
}
DEFAULT_DAYS = 30


class UsageAnnotations(TypedDict):
    """The figures ``usage_annotations()`` adds to each row of a queryset."""

    usage_requests: int
    usage_clients: int
    usage_last_seen: datetime.datetime | None


@dataclass(frozen=True)
class VersionUsage:
    """One version's calls in a period, and its last call ever recorded."""

    version: str
    requests: int
    clients: int
    last_seen: datetime.datetime | None

    @property
    def safe_to_retire(self) -> bool:
        """No call in the period."""
        return self.requests == 0


def period_start(days: int, today: datetime.date | None = None) -> datetime.date:
    """The first day (UTC) of the last ``days`` days, today included."""
    today = today or datetime.datetime.now(datetime.UTC).date()
    return today - datetime.timedelta(days=days - 1)


def records(
    days: int = DEFAULT_DAYS,
    *,
    version: str | None = None,
    route: str | None = None,
    client: str | None = None,
    today: datetime.date | None = None,
) -> QuerySet[UsageRecord]:
    """The daily rows of the period, optionally of one version, endpoint or client."""
    rows = UsageRecord.objects.filter(day__gte=period_start(days, today))
    if version:
        rows = rows.filter(version=version)
    if route:
        rows = rows.filter(route=route)
    if client:
        rows = rows.filter(client=client)
    return rows


def _requests() -> Sum:
    return Sum("count")


def _clients() -> Count:
    return Count("client", distinct=True)


def _last_seen() -> Max:
    return Max("last_seen")


def usage_annotations(
    days: int = DEFAULT_DAYS, *, version_ref: str = "version", today: datetime.date | None = None
) -> dict[str, BaseExpression]:
    """``usage_requests``, ``usage_clients``, ``usage_last_seen`` of the version in ``version_ref``.

    For ``QuerySet.annotate()`` on any model with a version string field: one correlated
    subquery per figure, so a list of N versions costs one query, not N. The figures are those
    of ``version_usage()``: requests and distinct clients in the period, last call ever.
    """

    def per_version(rows: QuerySet[UsageRecord], name: str, aggregate: Expression) -> Subquery:
        return Subquery(
            rows.filter(version=OuterRef(version_ref))
            .order_by()
            .values("version")
            .annotate(**{name: aggregate})
            .values(name)[:1]
        )

    in_period = records(days, today=today)
    return {
        "usage_requests": Coalesce(
            per_version(in_period, "n", _requests()),
            Value(0),
            output_field=PositiveBigIntegerField(),
        ),
        "usage_clients": Coalesce(
            per_version(in_period, "n", _clients()),
            Value(0),
            output_field=PositiveBigIntegerField(),
        ),
        "usage_last_seen": per_version(UsageRecord.objects.all(), "n", _last_seen()),
    }


def version_key(value: str) -> tuple[int, int]:
    """Sort key of a stored version string: numeric order, anything unparsable first."""
    try:
        number = VersionNumber.parse(value)
    except ValueError:
        return (-1, -1)
    return (number.major, number.minor)


def version_usage(
    days: int = DEFAULT_DAYS,
    *,
    versions: Iterable[str] | None = None,
    today: datetime.date | None = None,
) -> dict[str, VersionUsage]:
    """Every version's usage in the period (declared versions included when never called)."""
    if versions is None:
        versions = [str(version) for version in app_settings.versions]
    in_period: dict[str, Mapping[str, Any]] = {
        row["version"]: row
        for row in records(days, today=today)
        .values("version")
        .annotate(requests=_requests(), clients=_clients())
    }
    last_seen = dict(
        UsageRecord.objects.values("version")
        .annotate(last=_last_seen())
        .values_list("version", "last")
    )
    names = sorted({*versions, *in_period}, key=version_key)
    return {
        name: VersionUsage(
            name,
            int(in_period.get(name, {}).get("requests") or 0),
            int(in_period.get(name, {}).get("clients") or 0),
            last_seen.get(name),
        )
        for name in names
    }


def usage_table(rows: QuerySet[UsageRecord], group: str = "endpoint") -> list[dict[str, Any]]:
    """Rows grouped by ``GROUPS[group]``: requests, distinct clients, first and last day seen."""
    fields = GROUPS[group]
    table = list(
        rows.values(*fields)
        .annotate(
            requests=_requests(),
            clients=_clients(),
            last_seen=_last_seen(),
        )
        .order_by(*fields)
    )
    table.sort(key=lambda row: (version_key(row["version"]), *(row[f] for f in fields[1:])))
    return table


def last_flush() -> datetime.datetime | None:
    """When the buffer was last flushed: newer calls are not in the figures yet."""
    last: datetime.datetime | None = UsageFlush.objects.aggregate(last=Max("flushed_at"))["last"]
    return last


def to_csv(table: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    """A usage table as CSV text (ISO dates, UTC)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in table:
        writer.writerow([_cell(row.get(column)) for column in columns])
    return out.getvalue()


def _cell(value: object) -> object:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value, datetime.UTC).isoformat()
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return f"'{value}"  # a spreadsheet must not run a route name as a formula
    return value


#: The callers listed per version on a retire confirmation; the rest are counted.
MAX_CALLERS = 50


def retire_usage_contexts(
    versions: Sequence[str], days: int = DEFAULT_DAYS
) -> list[dict[str, Any]]:
    """Per version, what a retire confirmation shows: its calls and callers in the period.

    A fixed number of queries, whatever the number of versions.
    """
    usage = version_usage(days, versions=versions)
    callers: dict[str, list[dict[str, Any]]] = {version: [] for version in versions}
    rows = usage_table(records(days).filter(version__in=versions), "client")
    # The heaviest callers first: they are the ones to talk to before retiring.
    for row in sorted(rows, key=lambda row: (-row["requests"], row["client"])):
        callers[row["version"]].append(row)
    flushed = last_flush()
    return [
        {
            "version": version,
            "usage": usage[version],
            "days": days,
            "since": period_start(days),
            "callers": callers[version][:MAX_CALLERS],
            "more_callers": max(0, len(callers[version]) - MAX_CALLERS),
            "last_flush": flushed,
        }
        for version in versions
    ]


def retire_usage_context(version: str, days: int = DEFAULT_DAYS) -> dict[str, Any]:
    """What a retire confirmation shows of one version: its calls and callers in the period."""
    return retire_usage_contexts([version], days)[0]

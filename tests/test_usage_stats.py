"""Usage figures: per version over a period, grouped tables, CSV, and the models' text."""

from __future__ import annotations

import datetime

import pytest

from tests.support.usage_support import UsageFlushFactory, UsageRecordFactory
from versioning_app.models import VersionLifecycle
from versioning_app.usage.stats import (
    period_start,
    records,
    to_csv,
    usage_annotations,
    usage_table,
    version_usage,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 31)


def at(days_ago: int) -> datetime.date:
    """A day before TODAY."""
    return TODAY - datetime.timedelta(days=days_ago)


def test_the_period_includes_today() -> None:
    assert period_start(30, TODAY) == datetime.date(2026, 3, 2)
    assert period_start(1, TODAY) == TODAY


def test_version_usage_counts_requests_and_distinct_clients() -> None:
    UsageRecordFactory(version="1.0", client="a", count=2, day=at(0))
    UsageRecordFactory(version="1.0", client="a", count=3, day=at(1), route="book-detail")
    UsageRecordFactory(version="1.0", client="b", count=1, day=at(5))
    UsageRecordFactory(version="1.10", client="c", count=1, day=at(400))
    usage = version_usage(30, versions=["1.0", "1.2", "1.10"], today=TODAY)
    assert list(usage) == ["1.0", "1.2", "1.10"]  # numeric order, declared versions included
    assert (usage["1.0"].requests, usage["1.0"].clients) == (6, 2)
    assert usage["1.2"].safe_to_retire and usage["1.2"].last_seen is None
    assert usage["1.10"].safe_to_retire and usage["1.10"].last_seen is not None


def test_annotations_give_the_figures_of_version_usage() -> None:
    """The admin's per-row subqueries and ``version_usage`` count the same way."""
    UsageRecordFactory(version="1.0", client="a", count=2, day=at(0))
    UsageRecordFactory(version="1.0", client="a", count=3, day=at(1), route="book-detail")
    UsageRecordFactory(version="1.0", client="b", count=1, day=at(29))
    UsageRecordFactory(version="1.0", client="c", count=8, day=at(30))  # the day before the period
    UsageRecordFactory(version="2.0", client="a", count=4, day=at(45))
    rows = VersionLifecycle.objects.annotate(**usage_annotations(30, today=TODAY))
    annotated = {
        row.version: (row.usage_requests, row.usage_clients, row.usage_last_seen) for row in rows
    }
    expected = {
        name: (usage.requests, usage.clients, usage.last_seen)
        for name, usage in version_usage(30, versions=list(annotated), today=TODAY).items()
    }
    assert annotated == expected
    assert annotated["1.0"][:2] == (6, 2)
    assert annotated["2.0"][:2] == (0, 0)
    assert annotated["3.0"] == (0, 0, None)


def test_tables_group_and_filter() -> None:
    UsageRecordFactory(version="2.0", route="book-list", client="a", count=2)  # today
    UsageRecordFactory(version="2.0", route="book-list", client="b", count=1)
    UsageRecordFactory(version="2.0", route="author-list", client="a", count=5)
    by_endpoint = usage_table(records(version="2.0"), "endpoint")
    assert [(r["route"], r["requests"], r["clients"]) for r in by_endpoint] == [
        ("author-list", 5, 1),
        ("book-list", 3, 2),
    ]
    by_client = usage_table(records(route="book-list"), "client")
    assert [(r["client"], r["requests"]) for r in by_client] == [("a", 2), ("b", 1)]
    assert usage_table(records(client="b"), "version")[0]["requests"] == 1


def test_csv_has_a_header_and_iso_times() -> None:
    moment = datetime.datetime(2026, 3, 1, 12, 30, tzinfo=datetime.UTC)
    text = to_csv(
        [{"version": "1.0", "requests": 3, "last_seen": moment}],
        ["version", "requests", "last_seen"],
    )
    assert text.splitlines() == ["version,requests,last_seen", "1.0,3,2026-03-01T12:30:00+00:00"]


def test_models_describe_themselves() -> None:
    row = UsageRecordFactory(version="1.0", route="book-list", count=4, day=at(0))
    assert str(row) == "2026-03-31 1.0 GET book-list anonymous: 4"
    flushed = UsageFlushFactory(
        slot_start=datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC), requests=9
    )
    assert str(flushed) == "2026-03-01 12:00:00 (9)"

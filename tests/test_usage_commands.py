"""``api_usage_flush`` and ``api_usage_report``, run through ``call_command``."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from tests.support.usage_support import UsageFlushFactory, UsageRecordFactory, flush_closed
from versioning_app.models import UsageFlush, UsageRecord
from versioning_app.usage.buffer import ANONYMOUS

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    """Run a command, return its output."""
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def days_ago(days: int) -> datetime.date:
    """A UTC date ``days`` before today."""
    return datetime.datetime.now(datetime.UTC).date() - datetime.timedelta(days=days)


def test_flush_command_reports_what_it_wrote(api: APIClient) -> None:
    api.get("/api/v2/books/")
    api.get("/api/v1/books/")
    # The command flushes closed slots only; this test's slot is still open.
    assert "Flushed 0 slot(s): 0 request(s)" in run("api_usage_flush")
    flush_closed()
    assert UsageRecord.objects.count() == 2
    assert "Flushed 0 slot(s)" in run("api_usage_flush")  # idempotent


def test_flush_command_reports_pruned_rows(settings: pytest.FixtureRequest) -> None:
    settings.VERSIONING_APP = {**settings.VERSIONING_APP, "USAGE_RETENTION_DAYS": 30}
    UsageRecordFactory(day=days_ago(45))
    assert "Deleted 1 row(s) past USAGE_RETENTION_DAYS." in run("api_usage_flush")
    assert not UsageRecord.objects.exists()


def test_report_lists_every_declared_version_with_safe_to_retire() -> None:
    UsageRecordFactory(version="1.0", client="user:a", count=5, day=days_ago(3))
    UsageRecordFactory(version="1.0", client="user:b", count=2, day=days_ago(10))
    UsageRecordFactory(version="1.1", count=7, day=days_ago(40))  # before the period
    UsageFlushFactory()
    lines = run("api_usage_report").splitlines()
    assert lines[0].startswith("API usage of every version, last 30 day(s) (UTC); last flush: ")
    assert lines[1].split() == ["version", "requests", "clients", "last_seen", "safe_to_retire"]
    rows = {line.split()[0]: line.split() for line in lines[2:]}
    assert list(rows) == ["0.9", "1.0", "1.1", "2.0", "2.1", "3.0"]
    assert rows["1.0"][1:3] == ["7", "2"] and rows["1.0"][-1] == "no"
    assert rows["1.1"][1:3] == ["0", "0"] and rows["1.1"][-1] == "yes"  # old calls only
    assert rows["2.0"][1:] == ["0", "0", "-", "yes"]


def test_report_days_widen_the_period() -> None:
    UsageRecordFactory(version="1.1", count=7, day=days_ago(40))
    data = json.loads(run("api_usage_report", "--days", "60", "--format", "json"))
    by_version = {row["version"]: row for row in data}
    assert by_version["1.1"]["requests"] == 7
    assert by_version["1.1"]["safe_to_retire"] is False


def test_report_of_one_version_by_endpoint_and_client() -> None:
    UsageRecordFactory(version="1.0", route="book-list", client="user:a", count=3)
    UsageRecordFactory(version="1.0", route="book-list", client="user:a", count=1, day=days_ago(1))
    UsageRecordFactory(version="1.0", route="book-similar", client=ANONYMOUS, count=2)
    UsageRecordFactory(version="2.0", route="book-list", count=9)
    output = run("api_usage_report", "--api-version", "1.0", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(output)))
    assert [(r["route"], r["client"], r["requests"]) for r in rows] == [
        ("book-list", "user:a", "4"),
        ("book-similar", ANONYMOUS, "2"),
    ]
    by_endpoint = run("api_usage_report", "--api-version", "1.0", "--by", "endpoint")
    assert by_endpoint.splitlines()[1].split() == [
        "version",
        "route",
        "method",
        "requests",
        "last_seen",
    ]


def test_report_says_when_a_version_is_safe_to_retire() -> None:
    output = run("api_usage_report", "--api-version", "1.1")
    assert "last flush: never" in output
    assert "No calls to 1.1: safe to retire." in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--api-version", "9.9"], "Version 9.9 is not declared"),
        (["--api-version", "latest"], "'latest' is not a version like 2.1."),
    ],
)
def test_report_refuses_unknown_versions(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run("api_usage_report", *args)


def test_report_refuses_a_period_below_one_day() -> None:
    with pytest.raises(CommandError, match="--days"):
        run("api_usage_report", "--days", "0")


def test_csv_cells_cannot_become_spreadsheet_formulas() -> None:
    UsageRecordFactory(version="1.0", client="=HYPERLINK(1)")
    output = run("api_usage_report", "--api-version", "1.0", "--format", "csv")
    assert "'=HYPERLINK(1)" in output
    assert UsageFlush.objects.count() == 0

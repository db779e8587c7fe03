"""``manage.py api_versions``: the table, ``--sync`` and ``--prune``."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.support.factories import DeprecatedVersionFactory
from tests.support.usage_support import UsageFlushFactory, UsageRecordFactory
from versioning_app.models import UsageFlush, VersionLifecycle

pytestmark = pytest.mark.django_db


def run(*args: str) -> list[str]:
    out = StringIO()
    call_command("api_versions", *args, stdout=out)
    return out.getvalue().splitlines()


def table(lines: list[str]) -> dict[str, dict[str, str]]:
    """The printed table (header, rows, then a footer line) as ``{version: {column: cell}}``."""
    header = lines[0]
    names = header.split()
    starts = [header.index(f"{name}") for name in names]
    ends = [*starts[1:], None]
    return {
        line.split()[0]: {
            name: line[start:end].strip()
            for name, start, end in zip(names, starts, ends, strict=True)
        }
        for line in lines[1:-1]
    }


def test_table_lists_every_version_with_status_dates_and_successor() -> None:
    row = DeprecatedVersionFactory(version="1.0")
    lines = run()
    assert lines[0].split() == [
        "version",
        "status",
        "released",
        "deprecated",
        "sunset",
        "successor",
        "requests_30d",
        "clients_30d",
        "last_seen",
    ]
    cells = {line.split()[0]: line.split() for line in lines[1:-1]}
    assert list(cells) == ["0.9", "1.0", "1.1", "2.0", "2.1", "3.0"]
    assert cells["1.0"][1:] == [
        "deprecated",
        f"{row.released_at:%Y-%m-%d}",
        f"{row.deprecated_at:%Y-%m-%d}",
        f"{row.sunset_at:%Y-%m-%d}",
        "2.0",
        "0",
        "0",
        "-",
    ]
    assert cells["2.1"][1] == "stable"
    assert cells["2.1"][3:6] == ["-", "-", "-"]
    assert lines[-1] == (
        "Usage: last 30 day(s) (UTC), last_seen is the last call ever; "
        "as of the last usage flush: never."
    )


def utc(day: datetime.date, hour: int = 12) -> datetime.datetime:
    """A moment of a UTC day."""
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


def test_usage_columns_count_requests_and_clients_of_the_period() -> None:
    today = datetime.datetime.now(datetime.UTC).date()
    old = today - datetime.timedelta(days=40)
    UsageRecordFactory(version="1.0", count=7, day=today, last_seen=utc(today, 9))
    UsageRecordFactory(
        version="1.0", client="user:a", route="book-detail", day=today, last_seen=utc(today, 8)
    )
    UsageRecordFactory(version="1.0", client="user:a", count=5, day=old, last_seen=utc(old))
    UsageRecordFactory(version="1.1", count=9, day=old, last_seen=utc(old))
    UsageFlushFactory()
    lines = run()
    rows = table(lines)
    usage = {v: (r["requests_30d"], r["clients_30d"], r["last_seen"]) for v, r in rows.items()}
    assert usage["1.0"] == ("8", "2", f"{today:%Y-%m-%d} 09:00")
    assert usage["1.1"] == ("0", "0", f"{old:%Y-%m-%d} 12:00")  # called before the period only
    assert usage["2.0"] == ("0", "0", "-")
    flushed = UsageFlush.objects.get().flushed_at
    assert lines[-1].endswith(f"as of the last usage flush: {flushed:%Y-%m-%d %H:%M:%S} UTC.")
    lines = run("--days", "60")
    rows = table(lines)
    assert (rows["1.0"]["requests_60d"], rows["1.0"]["clients_60d"]) == ("13", "2")
    assert (rows["1.1"]["requests_60d"], rows["1.1"]["clients_60d"]) == ("9", "1")
    assert lines[-1].startswith("Usage: last 60 day(s) (UTC)")


@pytest.mark.parametrize("days", ["0", "-3", "soon"])
def test_days_must_be_a_positive_number(days: str) -> None:
    with pytest.raises(CommandError, match="--days"):
        run("--days", days)


def test_missing_and_stale_rows_are_shown_and_synced() -> None:
    VersionLifecycle.objects.filter(version="3.0").delete()
    VersionLifecycle(version="0.5").save()
    UsageRecordFactory(version="3.0", count=2)
    UsageRecordFactory(version="0.5", count=3)
    lines = run()
    rows = table(lines)
    assert (rows["3.0"]["status"], rows["3.0"]["released"]) == ("(no row)", "-")
    # Versions without a row, and rows of versions no longer declared, still show their usage.
    assert (rows["3.0"]["requests_30d"], rows["3.0"]["clients_30d"]) == ("2", "1")
    assert rows["0.5"]["status"] == "stable (not declared)"
    assert (rows["0.5"]["requests_30d"], rows["0.5"]["clients_30d"]) == ("3", "1")
    lines = run("--sync")
    assert lines[0] == "Created: 3.0; deleted: none."
    assert "No longer declared: 0.5" in lines[1]
    assert run("--sync", "--prune")[0] == "Created: none; deleted: 0.5."
    assert not VersionLifecycle.objects.filter(version="0.5").exists()

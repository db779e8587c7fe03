"""``manage.py api_versions``: the declared versions and where each one is in its life."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from versioning_app.conf import app_settings
from versioning_app.lifecycle.sync import sync_versions
from versioning_app.management.arguments import positive_int
from versioning_app.models import VersionLifecycle
from versioning_app.usage.stats import DEFAULT_DAYS, VersionUsage, last_flush, version_usage


def _date(value: datetime.datetime | None) -> str:
    return f"{value:%Y-%m-%d}" if value else "-"


class Command(BaseCommand):
    """Print versions, status, dates, successor and usage; ``--sync`` creates missing rows."""

    help = (
        "List the API versions with their lifecycle and usage (requests and distinct clients in "
        "the last N days, last call); --sync creates rows of new versions."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """``--sync``, ``--prune`` and ``--days``."""
        parser.add_argument(
            "--days",
            type=positive_int,
            default=DEFAULT_DAYS,
            help=f"period of the usage columns in days (default {DEFAULT_DAYS})",
        )
        parser.add_argument(
            "--sync",
            action="store_true",
            help="Create the lifecycle rows of declared versions that have none.",
        )
        parser.add_argument(
            "--prune",
            action="store_true",
            help="With --sync: delete the rows of versions that are no longer declared.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Sync if asked, then print the table."""
        verbose = options["verbosity"] >= 1
        if options["sync"]:
            report = sync_versions(prune=options["prune"])
            if verbose:
                self.stdout.write(
                    f"Created: {', '.join(report.created) or 'none'}; "
                    f"deleted: {', '.join(report.pruned) or 'none'}."
                )
            if report.stale:
                self.stdout.write(
                    self.style.WARNING(
                        f"No longer declared: {', '.join(report.stale)} (--prune deletes them)."
                    )
                )
        days = options["days"]
        rows = {row.number: row for row in VersionLifecycle.objects.select_related("successor")}
        usage = version_usage(
            days,
            versions=[str(v) for v in app_settings.versions] + [r.version for r in rows.values()],
        )
        head = (
            "version", "status", "released", "deprecated", "sunset", "successor",
            f"requests_{days}d", f"clients_{days}d", "last_seen",
        )  # fmt: skip
        table: list[tuple[str, ...]] = [head]
        for version in app_settings.versions:
            row = rows.pop(version.number, None)
            cells: tuple[str, ...]
            if row is None:
                cells = (str(version), "(no row)", "-", "-", "-", "-")
            else:
                cells = self._cells(row)
            table.append((*cells, *self._usage(usage[str(version)])))
        table.extend(
            (*self._cells(row, stale=True), *self._usage(usage[row.version]))
            for row in rows.values()
        )
        widths = [max(len(line[i]) for line in table) for i in range(len(head))]
        for line in table:
            self.stdout.write(
                "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
            )
        if not verbose:
            return
        flushed = last_flush()
        when = f"{flushed:%Y-%m-%d %H:%M:%S} UTC" if flushed else "never"
        self.stdout.write(
            f"Usage: last {days} day(s) (UTC), last_seen is the last call ever; "
            f"as of the last usage flush: {when}."
        )

    @staticmethod
    def _usage(usage: VersionUsage) -> tuple[str, ...]:
        last_seen = f"{usage.last_seen:%Y-%m-%d %H:%M}" if usage.last_seen else "-"
        return (str(usage.requests), str(usage.clients), last_seen)

    @staticmethod
    def _cells(row: VersionLifecycle, *, stale: bool = False) -> tuple[str, ...]:
        return (
            row.version,
            row.status + (" (not declared)" if stale else ""),
            _date(row.released_at),
            _date(row.deprecated_at),
            _date(row.sunset_at),
            row.successor.version if row.successor else "-",
        )

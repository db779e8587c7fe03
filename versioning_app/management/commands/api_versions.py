"""``manage.py api_versions``: the declared versions and where each one is in its life."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from versioning_app.conf import app_settings
from versioning_app.models import VersionLifecycle
from versioning_app.sync import sync_versions


def _date(value: datetime.datetime | None) -> str:
    return f"{value:%Y-%m-%d}" if value else "-"


class Command(BaseCommand):
    """Print a table of versions, status, dates and successor; ``--sync`` creates missing rows."""

    help = "List the API versions with their lifecycle; --sync creates rows of new versions."

    def add_arguments(self, parser: CommandParser) -> None:
        """``--sync`` and ``--prune``."""
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
        if options["sync"]:
            report = sync_versions(prune=options["prune"])
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
        rows = {row.number: row for row in VersionLifecycle.objects.select_related("successor")}
        head = ("version", "status", "released", "deprecated", "sunset", "successor")
        table = [head]
        for version in app_settings.versions:
            row = rows.pop(version.number, None)
            if row is None:
                table.append((str(version), "(no row)", "-", "-", "-", "-"))
                continue
            table.append(self._cells(row))
        table.extend(self._cells(row, stale=True) for row in rows.values())
        widths = [max(len(line[i]) for line in table) for i in range(len(head))]
        for line in table:
            self.stdout.write(
                "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
            )

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

"""``manage.py api_usage_flush``: write the closed usage slots from the cache to the database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from versioning_app.usage.flush import flush


class Command(BaseCommand):
    """Flush the usage buffer once; safe to run from cron while workers flush too."""

    help = (
        "Write the closed usage slots from the cache to the database. Idempotent, and safe "
        "alongside other flushers (each slot is written exactly once)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        """Flush, then say what was written."""
        result = flush()
        if options["verbosity"] < 1:
            return
        self.stdout.write(
            f"Flushed {result.slots} slot(s): {result.requests} request(s) into "
            f"{result.rows} daily row(s)."
        )
        if result.skipped:
            self.stdout.write(f"{result.skipped} slot(s) had been flushed by another process.")
        if result.pruned:
            self.stdout.write(f"Deleted {result.pruned} row(s) past USAGE_RETENTION_DAYS.")

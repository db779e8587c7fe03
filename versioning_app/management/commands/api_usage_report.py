"""``manage.py api_usage_report``: who called which version and endpoint in the last N days."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from versioning_app.conf import app_settings
from versioning_app.management.arguments import add_api_version, positive_int, to_json
from versioning_app.usage.stats import (
    DEFAULT_DAYS,
    GROUPS,
    last_flush,
    records,
    to_csv,
    usage_table,
    version_usage,
)
from versioning_app.versions import VersionNumber

_VERSION_COLUMNS = ["version", "requests", "clients", "last_seen", "safe_to_retire"]


class Command(BaseCommand):
    """Print usage per version, or per endpoint and client of one version."""

    help = (
        "Usage per version over the last N days (requests, distinct clients, last call, safe to "
        "retire), or with --api-version the endpoints and clients of one version."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """--days, --api-version, --by, --format."""
        parser.add_argument(
            "--days", type=positive_int, default=DEFAULT_DAYS, help="period in days (default 30)"
        )
        add_api_version(parser, "one version, e.g. 1.1")
        parser.add_argument(
            "--by",
            choices=[g for g in GROUPS if g != "version"],
            default="endpoint-client",
            help="grouping of the --api-version table (default endpoint-client)",
        )
        parser.add_argument("--format", choices=["text", "csv", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        """Build the table and print it in the chosen format."""
        days, version = options["days"], options["api_version"]
        if version is None:
            table = [
                {**vars(usage), "safe_to_retire": usage.safe_to_retire}
                for usage in version_usage(days).values()
            ]
            columns = _VERSION_COLUMNS
        else:
            version = self._declared(version)
            table = usage_table(records(days, version=version), options["by"])
            columns = [*GROUPS[options["by"]], "requests", "last_seen"]
        if options["format"] == "csv":
            self.stdout.write(to_csv(table, columns), ending="")
        elif options["format"] == "json":
            self.stdout.write(to_json(table))
        else:
            self._text(table, columns, days, version, options["verbosity"])

    @staticmethod
    def _declared(version: str) -> str:
        try:
            number = VersionNumber.parse(version)
        except ValueError:
            raise CommandError(f"{version!r} is not a version like 2.1.") from None
        if number not in app_settings.versions:
            declared = ", ".join(str(v) for v in app_settings.versions)
            raise CommandError(f"Version {number} is not declared (declared: {declared}).")
        return str(number)

    def _text(
        self,
        table: list[dict[str, Any]],
        columns: list[str],
        days: int,
        version: str | None,
        verbosity: int,
    ) -> None:
        if verbosity >= 1:  # the heading is commentary; -v 0 leaves the table alone
            flushed = last_flush()
            scope = f"version {version}" if version else "every version"
            when = f"{flushed:%Y-%m-%d %H:%M:%S} UTC" if flushed else "never"
            self.stdout.write(
                f"API usage of {scope}, last {days} day(s) (UTC); last flush: {when}."
            )
        if version is not None and not table:
            self.stdout.write(self.style.SUCCESS(f"No calls to {version}: safe to retire."))
            return
        cells = [[self._cell(row.get(c)) for c in columns] for row in table]
        widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
        for line in [columns, *cells]:
            self.stdout.write(
                "  ".join(v.ljust(w) for v, w in zip(line, widths, strict=True)).rstrip()
            )

    @staticmethod
    def _cell(value: object) -> str:
        if value is None:
            return "-"
        if value is True:
            return "yes"
        if value is False:
            return "no"
        if hasattr(value, "strftime"):
            return f"{value:%Y-%m-%d %H:%M}"
        return str(value)

"""``manage.py api_upgrade_report <client> --to <version>``: what an upgrade changes for it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from versioning_app.clients import pins, report
from versioning_app.management.arguments import positive_int


class Command(BaseCommand):
    """``api_upgrade_report <client> --to <version> [--format markdown|json] [--days N]``."""

    help = (
        "The declared changes between a client's version (its pin, else the version it calls "
        "most) and a newer one that touch the endpoints, fields and parameters it called."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """The client, the target version, the format and the period."""
        parser.add_argument("client", help="The client's label (username) or key.")
        parser.add_argument("--to", required=True, dest="target", help="The version, e.g. 2.0.")
        parser.add_argument("--format", choices=("markdown", "json"), default="markdown")
        parser.add_argument(
            "--days", type=positive_int, default=None, help="Look at the last N days of calls."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Print the report, or fail with a clear message."""
        try:
            client = pins.find_client(options["client"])
            target = pins.parse_version(options["target"])
            built = report.build_report(client, target, options["days"])
        except (pins.PinRefused, report.ReportRefused) as exc:
            raise CommandError(str(exc)) from exc
        render = report.to_json if options["format"] == "json" else report.to_markdown
        self.stdout.write(render(built))

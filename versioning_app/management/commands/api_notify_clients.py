"""``manage.py api_notify_clients <version>``: e-mail the clients still calling a deprecated one."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from versioning_app.clients import notify, pins


class Command(BaseCommand):
    """``api_notify_clients <version> [--dry-run] [--force]``."""

    help = (
        "E-mail each client with a contact that still calls a deprecated version: the sunset, "
        "the successor and its own upgrade report. Never twice per client unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """The version and the switches."""
        parser.add_argument("version", help="The deprecated version, e.g. 1.0.")
        parser.add_argument("--dry-run", action="store_true", help="Say who; send nothing.")
        parser.add_argument("--force", action="store_true", help="Write to those told before.")

    def handle(self, *args: Any, **options: Any) -> None:
        """Send the e-mails and say what happened per client."""
        try:
            version = pins.parse_version(options["version"])
            outcomes = notify.notify(version, dry_run=options["dry_run"], force=options["force"])
        except (pins.PinRefused, notify.NotifyRefused) as exc:
            raise CommandError(str(exc)) from exc
        if not outcomes:
            self.stdout.write(f"No identified client called {version} lately.")
        for outcome in outcomes:
            self.stdout.write(f"{outcome.client} <{outcome.client.email}>: {outcome.reason}")
        sent = sum(outcome.sent for outcome in outcomes)
        self.stdout.write(self.style.SUCCESS(f"{sent} e-mail(s) sent."))

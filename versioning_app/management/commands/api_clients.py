"""``manage.py api_clients list|upgrade|rollback``: the clients, their pins, and pin changes."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Sum
from django.utils import timezone

from versioning_app.clients import pins
from versioning_app.clients.models import Client
from versioning_app.models import UsageRecord

BY = "manage.py api_clients"


class Command(BaseCommand):
    """``api_clients list``, ``api_clients upgrade <client> <version>``,
    ``api_clients rollback <client> <major>``."""

    help = (
        "List the API clients with their pins, versions used and last request; upgrade a "
        "client's pin to a newer version, or roll the last upgrade back within the window."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """One sub-command each."""
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("list", help="Clients, pins, versions used (30 days), last seen.")
        up = actions.add_parser("upgrade", help="Pin a client to a newer version.")
        up.add_argument("client", help="The client's label (username) or key.")
        up.add_argument("version", help="The version to pin, e.g. 1.1.")
        back = actions.add_parser("rollback", help="Undo a client's last upgrade in a major.")
        back.add_argument("client", help="The client's label (username) or key.")
        back.add_argument("major", help="The major whose pin to roll back, e.g. 1.")

    def handle(self, *args: Any, **options: Any) -> None:
        """Run the sub-command; a refusal is a CommandError and saves nothing."""
        try:
            if options["action"] == "list":
                self._list()
            elif options["action"] == "upgrade":
                client = pins.find_client(options["client"])
                pin = pins.upgrade(client, pins.parse_version(options["version"]), by=BY)
                self.stdout.write(self.style.SUCCESS(f"{client} is now pinned to {pin.version}."))
            else:
                client = pins.find_client(options["client"])
                major = options["major"]
                if not major.isdigit():
                    raise CommandError(f"{major[:16]!r} is not a major version number.")
                pin = pins.rollback(client, int(major), by=BY)
                self.stdout.write(self.style.SUCCESS(f"{client} is back on {pin.version}."))
        except pins.PinRefused as exc:
            raise CommandError(str(exc)) from exc

    def _list(self) -> None:
        since = timezone.now().date() - datetime.timedelta(days=30)
        used: dict[str, dict[str, int]] = {}
        rows = (
            UsageRecord.objects.filter(day__gte=since)
            .exclude(client="anonymous")
            .values("client", "version")
            .annotate(requests=Sum("count"))
        )
        for row in rows:
            used.setdefault(row["client"], {})[row["version"]] = row["requests"]
        clients = Client.objects.prefetch_related("pins").order_by("label", "key")
        if not clients:
            self.stdout.write("No clients yet.")
            return
        for client in clients:
            pinned = ", ".join(pin.version for pin in client.pins.all()) or "-"
            versions = ", ".join(
                f"{version} ({count})"
                for version, count in sorted(used.get(client.key, {}).items())
            )
            self.stdout.write(
                f"{client}\tpins: {pinned}\tused: {versions or '-'}\t"
                f"last seen: {client.last_seen:%Y-%m-%d %H:%M}"
            )

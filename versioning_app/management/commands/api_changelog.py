"""``manage.py api_changelog``: the API changelog as Markdown or JSON."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from versioning_app.docs.changelog import build_changelog, to_markdown


class Command(BaseCommand):
    """Print the changelog built from the declared changes and the lifecycle dates."""

    help = "Print the API changelog (declared changes and lifecycle dates), newest version first."

    def add_arguments(self, parser: CommandParser) -> None:
        """``--format markdown|json``."""
        parser.add_argument("--format", choices=["markdown", "json"], default="markdown")

    def handle(self, *args: Any, **options: Any) -> None:
        """Write the changelog to stdout."""
        changelog = build_changelog()
        if options["format"] == "json":
            self.stdout.write(json.dumps(changelog, indent=2, ensure_ascii=False))
        else:
            self.stdout.write(to_markdown(changelog), ending="")

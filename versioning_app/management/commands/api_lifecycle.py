"""``manage.py api_lifecycle``: change a version's lifecycle through the rules."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from versioning_app import lifecycle
from versioning_app.lifecycle.rules import validate_documentation_url

ACTIONS = ("deprecate", "retire", "stabilize", "cancel")


def parse_moment(value: str) -> datetime.datetime:
    """An ISO date (midnight UTC) or date-time (UTC unless it names an offset)."""
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"{value[:40]!r} is not a date; use YYYY-MM-DD or YYYY-MM-DDTHH:MM[+HH:MM]."
        ) from None
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment


class Command(BaseCommand):
    """``api_lifecycle deprecate|retire|stabilize|cancel <version> [options]``."""

    help = (
        "Change where a version is in its life: deprecate, retire, stabilize (preview to "
        "stable) or cancel (a deprecation). The same rules as the admin apply."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """The action, the version and the deprecation options."""
        parser.add_argument("action", choices=ACTIONS)
        parser.add_argument("version", help="The version, e.g. 1.0.")
        parser.add_argument("--sunset", type=parse_moment, help="deprecate: the sunset date.")
        parser.add_argument(
            "--deprecated-at",
            type=parse_moment,
            help="deprecate: the deprecation date (default: now).",
        )
        parser.add_argument("--successor", help="deprecate: the version to move to, e.g. 2.0.")
        parser.add_argument("--link", help="deprecate: the documentation / migration guide URL.")

    def handle(self, *args: Any, **options: Any) -> None:
        """Apply the change, or fail with the rule's message (nothing saved)."""
        action, version = options["action"], options["version"]
        deprecation_only = ("sunset", "deprecated_at", "successor", "link")
        given = [name for name in deprecation_only if options.get(name) is not None]
        if action != "deprecate" and given:
            flags = ", ".join(f"--{name.replace('_', '-')}" for name in given)
            raise CommandError(f"{flags} only apply to deprecate.")
        if options.get("link") is not None:
            try:
                validate_documentation_url(options["link"])
            except ValidationError:
                raise CommandError("--link must be an http(s) URL.") from None
        try:
            if action == "deprecate":
                row = lifecycle.deprecate(
                    version,
                    deprecated_at=options.get("deprecated_at"),
                    sunset_at=options.get("sunset"),
                    successor=options.get("successor"),
                    documentation_url=options.get("link"),
                )
            elif action == "retire":
                row = lifecycle.retire(version)
            elif action == "stabilize":
                row = lifecycle.stabilize(version)
            else:
                row = lifecycle.cancel_deprecation(version)
        except lifecycle.TransitionRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"{row.version} is now {row.status}."))

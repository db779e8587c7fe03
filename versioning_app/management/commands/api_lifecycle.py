"""``manage.py api_lifecycle``: change a version's lifecycle through the rules."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from versioning_app import lifecycle
from versioning_app.lifecycle.rules import validate_documentation_url
from versioning_app.management import rehearsal
from versioning_app.management.arguments import moment

ACTIONS = ("deprecate", "retire", "stabilize", "cancel", *rehearsal.ACTIONS)


class Command(BaseCommand):
    """``api_lifecycle deprecate|retire|stabilize|cancel|brownout|policy <version> [options]``."""

    help = (
        "Change where a version is in its life: deprecate, retire, stabilize (preview to "
        "stable) or cancel (a deprecation); schedule a brownout, or set its policies "
        "(read-only, no new clients). The same rules as the admin apply."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """The action, the version and the deprecation options."""
        parser.add_argument("action", choices=ACTIONS)
        parser.add_argument("version", help="The version, e.g. 1.0.")
        parser.add_argument("--sunset", type=moment, help="deprecate: the sunset date.")
        parser.add_argument(
            "--deprecated-at",
            type=moment,
            help="deprecate: the deprecation date (default: now).",
        )
        parser.add_argument(
            "--released-at",
            type=moment,
            help="stabilize: the release date (default: now).",
        )
        parser.add_argument("--successor", help="deprecate: the version to move to, e.g. 2.0.")
        parser.add_argument("--link", help="deprecate: the documentation / migration guide URL.")
        rehearsal.add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        """Apply the change, or fail with the rule's message (nothing saved)."""
        action, version = options["action"], options["version"]
        for only, names in (
            ("deprecate", ("sunset", "deprecated_at", "successor", "link")),
            ("stabilize", ("released_at",)),
        ):
            given = [name for name in names if options.get(name) is not None]
            if action != only and given:
                flags = ", ".join(f"--{name.replace('_', '-')}" for name in given)
                raise CommandError(
                    _("%(flags)s only apply to %(action)s.") % {"flags": flags, "action": only}
                )
        misplaced = [
            name for name, owner in rehearsal.given_options(options).items() if owner != action
        ]
        if misplaced:
            flags = ", ".join(f"--{name.replace('_', '-')}" for name in misplaced)
            raise CommandError(
                _("%(flags)s do not apply to %(action)s.") % {"flags": flags, "action": action}
            )
        if action in rehearsal.ACTIONS:
            self.stdout.write(
                self.style.SUCCESS(rehearsal.handle(action, version, options, self.stdout))
            )
            return
        if options.get("link") is not None:
            try:
                validate_documentation_url(options["link"])
            except ValidationError:
                raise CommandError(_("--link must be an http(s) URL.")) from None
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
                row = lifecycle.stabilize(version, released_at=options.get("released_at"))
            else:
                row = lifecycle.cancel_deprecation(version)
        except lifecycle.TransitionRefused as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"] >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    _("%(version)s is now %(status)s.")
                    % {"version": row.version, "status": row.get_status_display()}
                )
            )

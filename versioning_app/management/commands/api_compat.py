"""``manage.py api_compat``: fail when a minor release breaks the minor before it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from versioning_app.docs.compatibility import check_compatibility, minor_pairs
from versioning_app.management.arguments import progress
from versioning_app.versions import Version


def _pair_name(pair: tuple[Version, Version]) -> str:
    return f"{pair[0].number} -> {pair[1].number}"


class Command(BaseCommand):
    """Compare every minor's OpenAPI document with its predecessor's in the same major."""

    help = (
        "Compare every minor version with its predecessor in the same major; print one line per "
        "breaking change and exit non-zero if there is any."
    )
    requires_system_checks: list[str] = []  # the compat check would repeat this command's work

    def handle(self, *args: Any, **options: Any) -> None:
        """Print the violations (or a summary) and fail on any."""
        pairs = list(minor_pairs())
        # Each pair generates two OpenAPI documents: seconds on a large API, so say where it is.
        violations = check_compatibility(
            progress(self, pairs, "Comparing", options["verbosity"], _pair_name)
        )
        for violation in violations:
            self.stdout.write(str(violation))
        if violations:
            raise CommandError(f"{len(violations)} breaking change(s) in minor releases.")
        if options["verbosity"] < 1:
            return
        names = ", ".join(_pair_name(pair) for pair in pairs)
        self.stdout.write(self.style.SUCCESS(f"No breaking changes ({names or 'no minor pairs'})."))

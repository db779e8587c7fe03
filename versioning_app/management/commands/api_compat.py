"""``manage.py api_compat``: fail when a minor release breaks the minor before it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from versioning_app.docs.compatibility import check_compatibility, minor_pairs


class Command(BaseCommand):
    """Compare every minor's OpenAPI document with its predecessor's in the same major."""

    help = (
        "Compare every minor version with its predecessor in the same major; print one line per "
        "breaking change and exit non-zero if there is any."
    )
    requires_system_checks: list[str] = []  # the compat check would repeat this command's work

    def handle(self, *args: Any, **options: Any) -> None:
        """Print the violations (or a summary) and fail on any."""
        violations = check_compatibility()
        for violation in violations:
            self.stdout.write(str(violation))
        if violations:
            raise CommandError(f"{len(violations)} breaking change(s) in minor releases.")
        pairs = ", ".join(f"{old} -> {new}" for old, new in minor_pairs())
        self.stdout.write(self.style.SUCCESS(f"No breaking changes ({pairs or 'no minor pairs'})."))

"""``manage.py api_schemas --out DIR``: every served version's document, for CI and serving."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from versioning_app.conf import app_settings
from versioning_app.docs import catalog
from versioning_app.docs.cache import code_fingerprint
from versioning_app.docs.export import InvalidDocument, ValidatorMissing, build_export


class Command(BaseCommand):
    """Write (or ``--check``) a validated ``openapi-<version>.json`` per version, and a manifest."""

    help = (
        "Write every served version's OpenAPI document (without its lifecycle, which is laid "
        "over when served) and a manifest into DIR: sorted keys, byte-identical across runs, "
        "validated. --check compares DIR with the code instead and fails when they differ."
    )
    # Check E071 (SCHEMA_EXPORT_DIR without a manifest) is what this command repairs.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        """``--out``, ``--check``, ``--all``, ``--no-validate``."""
        parser.add_argument("--out", required=True, type=Path, help="the export directory")
        parser.add_argument(
            "--check",
            action="store_true",
            help="write nothing; fail when DIR is not what the code exports now",
        )
        parser.add_argument(
            "--all",
            action="store_true",
            help="every declared version, retired ones included (no database needed)",
        )
        parser.add_argument(
            "--no-validate", action="store_true", help="skip openapi-spec-validator"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Build the export in memory, then write it or compare it with DIR."""
        out: Path = options["out"]
        if options["all"]:
            numbers = [version.number for version in app_settings.versions]
        else:
            numbers = [entry.number for entry in catalog.catalog() if entry.served]
        try:
            files = build_export(numbers, code_fingerprint(), validate=not options["no_validate"])
        except (InvalidDocument, ValidatorMissing) as exc:
            raise CommandError(str(exc)) from exc
        if options["check"]:
            self._check(out, files)
            return
        try:
            out.mkdir(parents=True, exist_ok=True)
            for name, body in files.items():
                (out / name).write_bytes(body)
        except OSError as exc:
            raise CommandError(f"Cannot write to {out}: {exc.strerror}.") from exc
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(files)} files to {out}."))

    def _check(self, out: Path, files: dict[str, bytes]) -> None:
        differ = []
        for name, body in files.items():
            try:
                if (out / name).read_bytes() != body:
                    differ.append(name)
            except OSError:
                differ.append(name)
        if differ:
            raise CommandError(
                f"{out} is not what the code exports now ({', '.join(differ)}): "
                f"run manage.py api_schemas --out {out}."
            )
        self.stdout.write(self.style.SUCCESS(f"{out} is up to date."))

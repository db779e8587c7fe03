"""System checks of an export served through ``SCHEMA_EXPORT_DIR`` (E071, W070, W071)."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.db import DatabaseError

from versioning_app.docs import catalog
from versioning_app.docs.cache import code_fingerprint
from versioning_app.docs.export import export_directory, read_manifest

_HINT = "Run `manage.py api_schemas --out {dir}` on this code and deploy what it writes."


@register(Tags.compatibility)
def check_schema_export(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The configured export exists, was made from this code, and has every served version."""
    directory = export_directory()
    if directory is None:
        return []
    hint = _HINT.format(dir=directory)
    manifest = read_manifest(directory)
    if manifest is None:
        return [
            Error(
                f"SCHEMA_EXPORT_DIR has no readable export manifest ({directory}/manifest.json).",
                hint=hint,
                id="versioning_app.E071",
            )
        ]
    if manifest.get("fingerprint") != code_fingerprint():
        return [
            Warning(
                "The exported schemas in SCHEMA_EXPORT_DIR were made from other code (the "
                "fingerprint differs): they are not served, schemas are generated instead.",
                hint=hint,
                id="versioning_app.W070",
            )
        ]
    try:
        served = [str(entry.number) for entry in catalog.catalog() if entry.served]
    except DatabaseError:  # no lifecycle table yet (before migrate): nothing to compare with
        return []
    missing = [number for number in served if number not in manifest["versions"]]
    if missing:
        return [
            Warning(
                f"The export in SCHEMA_EXPORT_DIR lacks version(s) {', '.join(missing)}: "
                "their schemas are generated.",
                hint=hint,
                id="versioning_app.W071",
            )
        ]
    return []

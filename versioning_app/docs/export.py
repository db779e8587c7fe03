"""Schemas exported at build time: written by ``manage.py api_schemas``, read when configured.

An export is a directory of one ``openapi-<version>.json`` per version (the structural
document: what the code decides, without the lifecycle, which lives in the database and is
laid over at serving time) and a ``manifest.json`` naming the code fingerprint they were
generated from, each file's SHA-256 and each path's route (for endpoint deprecations). Every
file is written with sorted keys and a final newline, so two runs on the same code write the
same bytes and a diff shows only what the code changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

import versioning_app
from versioning_app.conf import app_settings
from versioning_app.docs.schema import generate_structure
from versioning_app.versions import VersionNumber

MANIFEST = "manifest.json"


class InvalidDocument(ValueError):
    """A generated document is not valid OpenAPI (the validator's message says why)."""


class ValidatorMissing(RuntimeError):
    """openapi-spec-validator is not installed, and validation was asked for."""


def export_bytes(value: Any) -> bytes:
    """The exported form of a JSON value: sorted keys, two-space indent, UTF-8, final newline."""
    text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2, sort_keys=True)
    return (text + "\n").encode()


def file_name(number: VersionNumber) -> str:
    """The exported document's file name, e.g. ``openapi-2.1.json``."""
    return f"openapi-{number}.json"


def build_export(
    numbers: Iterable[VersionNumber], fingerprint: str, *, validate: bool = True
) -> dict[str, bytes]:
    """Every file of an export, by name: each version's validated document and the manifest."""
    check = _validator() if validate else None
    files: dict[str, bytes] = {}
    versions: dict[str, Any] = {}
    for number in numbers:
        document, routes = generate_structure(number)
        # Validated in its JSON form, as it is served and committed.
        body = export_bytes(document)
        if check is not None:
            try:
                check(json.loads(body))
            except Exception as exc:  # the validator's errors: the document is invalid
                raise InvalidDocument(f"version {number}: {exc}") from exc
        name = file_name(number)
        files[name] = body
        versions[str(number)] = {
            "file": name,
            "sha256": hashlib.sha256(body).hexdigest(),
            "routes": routes,
        }
    manifest = {
        "fingerprint": fingerprint,
        "generator": f"versioning_app {versioning_app.__version__}",
        "versions": versions,
    }
    files[MANIFEST] = export_bytes(manifest)
    return files


def _validator() -> Callable[[Any], object]:
    # Imported here, when an export is made: an optional dependency (and a slow import) that
    # serving never needs.
    try:
        from openapi_spec_validator import validate
    except ImportError:
        raise ValidatorMissing(
            "pip install openapi-spec-validator, or pass --no-validate."
        ) from None
    return validate


def read_manifest(directory: Path) -> dict[str, Any] | None:
    """The manifest of an export, or None when it is missing or unreadable."""
    try:
        manifest = json.loads((directory / MANIFEST).read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("versions"), dict):
        return None
    return manifest


def export_directory() -> Path | None:
    """``SCHEMA_EXPORT_DIR`` as a path, or None when schemas are generated."""
    configured = app_settings.SCHEMA_EXPORT_DIR
    return Path(configured) if configured else None


def exported_structure(
    number: VersionNumber, fingerprint: str
) -> tuple[dict[str, Any], dict[str, str | None]] | None:
    """A version's exported document and routes, when an export of this very code has it."""
    directory = export_directory()
    if directory is None:
        return None
    manifest = read_manifest(directory)
    if manifest is None or manifest.get("fingerprint") != fingerprint:
        return None  # stale or missing: generated instead (check W070 says so at deploy)
    entry = manifest["versions"].get(str(number))
    if not isinstance(entry, dict):
        return None
    try:
        body = (directory / str(entry["file"])).read_bytes()
    except (OSError, KeyError):
        return None
    if hashlib.sha256(body).hexdigest() != entry.get("sha256"):
        return None  # edited by hand after the export: not what the manifest vouches for
    return json.loads(body), dict(entry.get("routes") or {})

"""Each version's structural document, cached under the code fingerprint alone.

The structure (``schema.generate_structure``: drf-spectacular's document plus what the code
decides) is the expensive part; it is kept as JSON bytes in the schema cache and in a small
per-process map, under a key naming only the code fingerprint and the version, so a lifecycle
change finds it there and pays only for ``overlay.apply_lifecycle`` on a fresh copy. With
``SCHEMA_EXPORT_DIR`` set, an export of the same code stands in for the generation.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from django.core.cache import caches
from django.core.serializers.json import DjangoJSONEncoder

from versioning_app.conf import app_settings
from versioning_app.docs.catalog import VersionInfo
from versioning_app.docs.export import exported_structure
from versioning_app.docs.overlay import apply_lifecycle
from versioning_app.docs.schema import generate_structure
from versioning_app.versions import VersionNumber

_KEY_PREFIX = "versioning_app:structure"
_LOCAL_LIMIT = 32  # structures kept per process: one per version, a deploy's worth of codes
_local: dict[str, bytes] = {}
_lock = threading.Lock()


def lifecycle_document(info: VersionInfo, fingerprint: str) -> dict[str, Any]:
    """A version's full document: its cached structure with its current lifecycle laid over."""
    payload = json.loads(structure_bytes(info.number, fingerprint))
    return apply_lifecycle(payload["document"], info, payload["routes"])


def structure_bytes(number: VersionNumber, fingerprint: str) -> bytes:
    """The JSON of ``{"document", "routes"}`` for a version: local, shared cache, export, or new."""
    key = f"{_KEY_PREFIX}:{fingerprint}:{number}"
    body = _local.get(key)
    if body is not None:
        return body
    cache = caches[app_settings.SCHEMA_CACHE]
    cached = cache.get(key)
    if isinstance(cached, bytes):
        body = cached
    else:
        found = exported_structure(number, fingerprint)
        document, routes = found if found is not None else generate_structure(number)
        body = json.dumps(
            {"document": document, "routes": routes}, cls=DjangoJSONEncoder, ensure_ascii=False
        ).encode()
        cache.set(key, body, app_settings.SCHEMA_CACHE_TIMEOUT)
    with _lock:
        if len(_local) >= _LOCAL_LIMIT:
            _local.clear()
        _local[key] = body
    return body


def clear_local() -> None:
    """Forget the per-process structures (the shared cache keeps its entries)."""
    with _lock:
        _local.clear()

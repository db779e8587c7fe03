"""Each version's structural document, cached under the code fingerprint alone.

The structure (``schema.generate_structure``: drf-spectacular's document plus what the code
decides) is the expensive part; it is kept as JSON bytes in the schema cache and, parsed, in a
small per-process map, under a key naming only the code fingerprint and the version, so a
lifecycle change finds it there and pays only for ``overlay.apply_lifecycle`` (which copies
what it changes and shares the rest) and the rendering. Parsing it again on every change would
cost more than the overlay (300 resources: 4 MB of JSON, 21 MB parsed, parsed in ~0.3 s).
With ``SCHEMA_EXPORT_DIR`` set, an export of the same code stands in for the generation.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from versioning_app.conf import app_settings
from versioning_app.docs.catalog import VersionInfo
from versioning_app.docs.export import exported_structure
from versioning_app.docs.overlay import apply_lifecycle
from versioning_app.docs.schema import generate_structure
from versioning_app.docs.shared import shared
from versioning_app.versions import VersionNumber

_KEY_PREFIX = "versioning_app:structure"
_LOCAL_LIMIT = 16  # parsed structures kept per process: one per version and code
_local: dict[str, tuple[dict[str, Any], dict[str, str | None]]] = {}
_lock = threading.Lock()


def lifecycle_document(info: VersionInfo, fingerprint: str) -> dict[str, Any]:
    """A version's full document: its cached structure with its current lifecycle laid over."""
    document, routes = structure(info.number, fingerprint)
    return apply_lifecycle(document, info, routes)


def structure(
    number: VersionNumber, fingerprint: str
) -> tuple[dict[str, Any], dict[str, str | None]]:
    """A version's structural document and routes: local, shared cache, export, or generated.

    The document is shared: callers must not change it (``apply_lifecycle`` does not).
    """
    key = f"{_KEY_PREFIX}:{fingerprint}:{number}"
    found = _local.get(key)
    if found is not None:
        return found
    cached = shared(lambda cache: cache.get(key))
    if isinstance(cached, bytes):
        payload = json.loads(cached)
        found = payload["document"], payload["routes"]
    else:
        found = exported_structure(number, fingerprint) or generate_structure(number)
        body = json.dumps(
            {"document": found[0], "routes": found[1]}, cls=DjangoJSONEncoder, ensure_ascii=False
        ).encode()
        shared(lambda cache: cache.set(key, body, app_settings.SCHEMA_CACHE_TIMEOUT))
    with _lock:
        if len(_local) >= _LOCAL_LIMIT:
            _local.clear()
        _local[key] = found
    return found


def clear_local() -> None:
    """Forget the per-process structures (the shared cache keeps its entries)."""
    with _lock:
        _local.clear()

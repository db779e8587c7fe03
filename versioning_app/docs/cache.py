"""Per-version OpenAPI documents, generated once and kept as JSON bytes in the Django cache.

A cache key names everything the document depends on: the version, the lifecycle generation
(bumped on every lifecycle change, so an admin edit shows up in the docs), and a fingerprint of
the code (this package's release and sources, the version declaration, the modules of the
versioned views and serializers, the drf-spectacular version and settings), so a deploy never
serves a schema of the old code.
A small per-process map in front of the shared cache makes a warm fetch a dictionary lookup.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
import threading
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import URLPattern, get_resolver

import versioning_app
from versioning_app.conf import app_settings
from versioning_app.docs import catalog
from versioning_app.docs.catalog import VersionInfo
from versioning_app.docs.schema import generate_schema
from versioning_app.routing import walk_patterns

_KEY_PREFIX = "versioning_app:schema"
_LOCAL_LIMIT = 64  # documents kept per process: a few per version, generations included
_local: dict[str, tuple[bytes, str]] = {}
_lock = threading.Lock()
logger = logging.getLogger("versioning_app.docs")


def schema_document(info: VersionInfo) -> tuple[bytes, str]:
    """The JSON document of a version and its ETag, from the cache or freshly generated."""
    key = cache_key(info)
    found = _local.get(key)
    if found is not None:
        return found
    body = _shared(lambda cache: cache.get(key))
    if not isinstance(body, bytes):
        body = render(generate_schema(info))
        fresh = body
        _shared(lambda cache: cache.set(key, fresh, app_settings.SCHEMA_CACHE_TIMEOUT))
    entry = (body, f'"{hashlib.sha256(body).hexdigest()[:32]}"')
    with _lock:
        if len(_local) >= _LOCAL_LIMIT:
            _local.clear()
        _local[key] = entry
    return entry


def _shared(call: Callable[[BaseCache], Any]) -> Any:
    # The shared cache is a speed-up, never a dependency: unreachable (a Redis down, or hung
    # past the socket timeout of its OPTIONS), the document is generated and kept in this
    # process's map, and the failure is logged.
    try:
        return call(caches[app_settings.SCHEMA_CACHE])
    except Exception:
        logger.warning(
            "The schema cache %r failed; serving from this process.",
            app_settings.SCHEMA_CACHE,
            exc_info=True,
        )
        return None


def render(schema: dict[str, Any]) -> bytes:
    """Serialise a schema the way it is served (stable key order, UTF-8)."""
    return json.dumps(schema, cls=DjangoJSONEncoder, ensure_ascii=False, indent=None).encode()


def cache_key(info: VersionInfo) -> str:
    """The cache key of a version's document under the current lifecycle and code."""
    return f"{_KEY_PREFIX}:{code_fingerprint()}:{catalog.generation()}:{info.number}"


def clear_local() -> None:
    """Forget the per-process copies (the shared cache keeps its entries until they expire)."""
    with _lock:
        _local.clear()
    code_fingerprint.cache_clear()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the code a schema is generated from; computed once per process."""
    digest = hashlib.sha256()
    bundle = app_settings.versions
    for version in bundle:
        digest.update(f"{version.number}|{version.description}".encode())
        for change in version.changes:
            digest.update(f"{type(change).__qualname__}|{change.describe()}".encode())
    digest.update(repr(sorted(_spectacular_settings().items())).encode())
    digest.update(f"{settings.ROOT_URLCONF}|{app_settings.VERSION_HEADER}".encode())
    digest.update(_package_digest())
    declared_in = str(app_settings.VERSIONS).rpartition(".")[0]
    for name in sorted({"drf_spectacular", "rest_framework", declared_in, *_view_modules()}):
        if name != "versioning_app" and not name.startswith("versioning_app."):
            digest.update(_module_digest(name))
    return digest.hexdigest()[:16]


def _package_digest() -> bytes:
    """This package's release and every one of its modules' source: the document's decorations
    (lifecycle, headers, problems) come from here, so any change to it is a new key."""
    digest = hashlib.sha256(versioning_app.__version__.encode())
    root = Path(versioning_app.__file__).parent
    for path in sorted(root.rglob("*.py")):
        if "migrations" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.digest()


def _spectacular_settings() -> dict[str, str]:
    return {
        key: repr(value) for key, value in getattr(settings, "SPECTACULAR_SETTINGS", {}).items()
    }


def _view_modules() -> set[str]:
    """The modules that define the versioned views, their serializers and the bundle."""
    modules: set[str] = set()
    for _namespaces, entry in walk_patterns(get_resolver().url_patterns):
        if isinstance(entry, URLPattern):
            view_class = getattr(entry.callback, "cls", None)
            for cls in (view_class, getattr(view_class, "serializer_class", None)):
                if isinstance(cls, type):
                    modules.update(
                        klass.__module__ for klass in cls.__mro__ if klass.__module__ != "builtins"
                    )
    return modules


def _module_digest(name: str) -> bytes:
    module = sys.modules.get(name)
    version = getattr(module, "__version__", "")
    path = getattr(module, "__file__", None)
    if not path:
        return f"{name}|{version}".encode()
    try:
        with open(path, "rb") as source:
            return hashlib.sha256(source.read()).digest()
    except OSError:
        return f"{name}|{version}".encode()


# Tests and override_settings swap declarations and URLconfs: start from scratch.
app_settings.on_reload(clear_local)

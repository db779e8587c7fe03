"""System checks of the cache that buffers the usage counts, and of the retention.

The usage settings' ids (E080-E086) are declared with the settings, in ``settings_spec``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

from versioning_app.conf import app_settings
from versioning_app.settings_spec import SETTINGS, SETTINGS_NAME

# Backends whose ``incr`` is a read followed by a write: two processes lose each other's counts.
_NON_ATOMIC = {
    "django.core.cache.backends.filebased.FileBasedCache": "file-based",
    "django.core.cache.backends.db.DatabaseCache": "database",
}
_LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
_DUMMY = "django.core.cache.backends.dummy.DummyCache"


def _retention_warnings() -> list[CheckMessage]:
    days = app_settings.USAGE_RETENTION_DAYS
    if days is None or SETTINGS["USAGE_RETENTION_DAYS"].problem(days) or days >= 30:
        return []  # kept forever, E086, or long enough
    return [
        Warning(
            f"{SETTINGS_NAME}['USAGE_RETENTION_DAYS'] = {days} keeps less than the 30 days the "
            "admin and the reports show.",
            hint="Keep at least 30 days.",
            id="versioning_app.W082",
        )
    ]


def _cache_errors() -> list[CheckMessage]:
    alias = app_settings.USAGE_CACHE_ALIAS
    if SETTINGS["USAGE_CACHE_ALIAS"].problem(alias) or not app_settings.USAGE_ENABLED:
        return []  # E081, or nothing to count
    backend = settings.CACHES[alias].get("BACKEND", "")
    if backend == _DUMMY:
        return [
            Error(
                f"The usage cache {alias!r} is a DummyCache: it keeps nothing, so no request "
                "would ever be counted.",
                hint="Use a real cache (Redis, Memcached), or set USAGE_ENABLED to False.",
                id="versioning_app.E087",
            )
        ]
    if backend in _NON_ATOMIC:
        return [
            Warning(
                f"The usage cache {alias!r} is a {_NON_ATOMIC[backend]} cache: its increments "
                "are not atomic across processes (counts can be lost)"
                + (", and it writes to the database on requests." if "db" in backend else "."),
                hint="Buffer usage in Redis or Memcached (USAGE_CACHE_ALIAS).",
                id="versioning_app.W080",
            )
        ]
    if backend == _LOCMEM and app_settings.USAGE_FLUSH_INTERVAL == 0:
        return [
            Warning(
                f"The usage cache {alias!r} is local memory, one per process, and "
                "USAGE_FLUSH_INTERVAL is 0: `manage.py api_usage_flush` runs in another process "
                "and cannot see these counts.",
                hint="Use a shared cache (Redis, Memcached), or a USAGE_FLUSH_INTERVAL above 0.",
                id="versioning_app.W081",
            )
        ]
    return []


@register(Tags.compatibility, Tags.caches)
def check_usage(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The buffer cache can count, and the reports have the days they show."""
    return _cache_errors() + _retention_warnings()

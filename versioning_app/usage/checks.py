"""System checks of the usage-tracking settings and of the cache that buffers the counts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.utils.module_loading import import_string

from versioning_app.conf import SETTINGS_NAME, app_settings

_DAY = 86400
# Backends whose ``incr`` is a read followed by a write: two processes lose each other's counts.
_NON_ATOMIC = {
    "django.core.cache.backends.filebased.FileBasedCache": "file-based",
    "django.core.cache.backends.db.DatabaseCache": "database",
}
_LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
_DUMMY = "django.core.cache.backends.dummy.DummyCache"


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _setting_errors() -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    name = SETTINGS_NAME
    if not isinstance(app_settings.USAGE_ENABLED, bool):
        errors.append(
            Error(
                f"{name}['USAGE_ENABLED'] must be True or False.",
                hint="The default is True (count usage).",
                id="versioning_app.E080",
            )
        )
    resolver = app_settings.USAGE_CLIENT_RESOLVER
    try:
        if not callable(import_string(resolver)):
            raise TypeError("not callable")
    except (ImportError, TypeError, ValueError) as exc:
        errors.append(
            Error(
                f"{name}['USAGE_CLIENT_RESOLVER'] = {resolver!r} is not an importable callable "
                f"({exc}).",
                hint="The dotted path of a function taking the request and returning a string "
                "or None, e.g. 'versioning_app.usage.recording.default_client'.",
                id="versioning_app.E082",
            )
        )
    slot = app_settings.USAGE_SLOT_SECONDS
    if not _is_int(slot) or not 1 <= slot <= _DAY or _DAY % slot:
        errors.append(
            Error(
                f"{name}['USAGE_SLOT_SECONDS'] must be a whole number of seconds that divides "
                "a day (86400), so that no slot spans two days.",
                hint="The default is 60; 10, 30, 300 and 3600 work too.",
                id="versioning_app.E083",
            )
        )
    grace = app_settings.USAGE_FLUSH_GRACE_SECONDS
    if not _is_number(grace) or grace <= 0:
        errors.append(
            Error(
                f"{name}['USAGE_FLUSH_GRACE_SECONDS'] must be a positive number of seconds.",
                hint="The default is 10.",
                id="versioning_app.E084",
            )
        )
    interval = app_settings.USAGE_FLUSH_INTERVAL
    if not _is_number(interval) or interval < 0:
        errors.append(
            Error(
                f"{name}['USAGE_FLUSH_INTERVAL'] must be a number of seconds, or 0 for no "
                "background flush.",
                hint="The default is 60.",
                id="versioning_app.E085",
            )
        )
    days = app_settings.USAGE_RETENTION_DAYS
    if days is not None and (not _is_int(days) or days < 1):
        errors.append(
            Error(
                f"{name}['USAGE_RETENTION_DAYS'] must be None (keep everything) or a positive "
                "number of days.",
                hint="The default is None; 400 keeps a year of history and then some.",
                id="versioning_app.E086",
            )
        )
    elif days is not None and days < 30:
        errors.append(
            Warning(
                f"{name}['USAGE_RETENTION_DAYS'] = {days} keeps less than the 30 days the "
                "admin and the reports show.",
                hint="Keep at least 30 days.",
                id="versioning_app.W082",
            )
        )
    return errors


def _cache_errors() -> list[CheckMessage]:
    alias = app_settings.USAGE_CACHE_ALIAS
    caches: dict[str, dict[str, Any]] = getattr(settings, "CACHES", {})
    if not isinstance(alias, str) or alias not in caches:
        return [
            Error(
                f"{SETTINGS_NAME}['USAGE_CACHE_ALIAS'] = {alias!r} is not a key of CACHES.",
                hint=f"One of: {', '.join(sorted(caches)) or '(no caches configured)'}.",
                id="versioning_app.E081",
            )
        ]
    if not app_settings.USAGE_ENABLED:
        return []
    backend = caches[alias].get("BACKEND", "")
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
    """The usage settings have the right types, and the buffer cache can count."""
    return _setting_errors() + _cache_errors()

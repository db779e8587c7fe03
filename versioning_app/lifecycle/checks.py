"""System checks of the lifecycle cache and rows (ids W040-W059; the settings' E040-E042 are in
``settings_spec``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register
from django.db import DatabaseError

from versioning_app.conf import app_settings
from versioning_app.lifecycle.sync import out_of_sync
from versioning_app.models import EndpointDeprecation
from versioning_app.routing import mounted_versions
from versioning_app.settings_spec import SETTINGS, SETTINGS_NAME

# Caches that live inside one process: a lifecycle change would not reach the other workers.
_PROCESS_LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.caches, deploy=True)
def check_lifecycle_cache_is_shared(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Deployment check: the lifecycle cache is shared by the worker processes."""
    alias = app_settings.CACHE_ALIAS
    if SETTINGS["CACHE_ALIAS"].problem(alias):
        return []  # E041
    if settings.CACHES[alias].get("BACKEND", _PROCESS_LOCAL_CACHES[0]) not in _PROCESS_LOCAL_CACHES:
        return []
    return [
        Warning(
            f"The lifecycle cache {alias!r} is local to each process: with several worker "
            "processes, a lifecycle change made in one reaches the others only on restart.",
            hint="Use a shared cache (Redis, Memcached, database or file based) for "
            f"{SETTINGS_NAME}['CACHE_ALIAS'], or silence versioning_app.W042 if you run "
            "a single process.",
            id="versioning_app.W042",
        )
    ]


@register(Tags.database)
def check_lifecycle_rows(
    app_configs: Any = None, databases: Sequence[str] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """Lifecycle rows match the declared versions; endpoint deprecations name served routes.

    A database check: it runs with ``check --database default`` and before ``migrate``.
    """

    errors: list[CheckMessage] = []
    if not databases or "default" not in databases:
        return errors
    try:
        bundle = app_settings.versions
    except Exception:
        return errors
    try:
        missing, stale = out_of_sync(bundle)
        deprecations = list(EndpointDeprecation.objects.values_list("route", flat=True))
    except DatabaseError:
        return errors  # not migrated yet: `migrate` creates the table and the rows
    if missing:
        errors.append(
            Warning(
                f"Declared versions without a lifecycle row: {', '.join(missing)}.",
                hint="Run `manage.py migrate` or `manage.py api_versions --sync`.",
                id="versioning_app.W040",
            )
        )
    if stale:
        errors.append(
            Warning(
                f"Lifecycle rows of versions that are no longer declared: {', '.join(stale)}.",
                hint="Run `manage.py api_versions --sync --prune` to delete them.",
                id="versioning_app.W041",
            )
        )
    try:
        _majors, routes = mounted_versions()
    except Exception:
        return errors
    unknown = sorted(set(deprecations) - routes)
    if unknown and routes:
        errors.append(
            Warning(
                f"Endpoint deprecations name routes that no versioned URL has: "
                f"{', '.join(unknown)}.",
                hint="Fix or delete them in the admin (API versions > Endpoint deprecations).",
                id="versioning_app.W043",
            )
        )
    return errors

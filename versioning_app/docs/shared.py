"""The schema cache (``SCHEMA_CACHE``), called so that a failure is logged, never raised."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.cache import BaseCache, caches

from versioning_app.conf import app_settings

logger = logging.getLogger("versioning_app.docs")


def shared(call: Callable[[BaseCache], Any]) -> Any:
    """``call(schema cache)``, or None when the cache fails (logged)."""
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

"""System checks of what keeps the API answering under faults: bounded cache calls.

Id W013. A Redis cache without socket timeouts waits as long as the operating system lets it
when Redis hangs (a full disk, a stopped VM): every schema fetch, and every usage push, waits
with it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

from versioning_app.conf import app_settings

_REDIS = "django.core.cache.backends.redis.RedisCache"
_TIMEOUTS = ("socket_connect_timeout", "socket_timeout")


@register(Tags.caches)
def check_cache_timeouts(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The caches the app uses, when Django's Redis backend, bound their calls in time."""
    messages: list[CheckMessage] = []
    aliases = dict.fromkeys([app_settings.SCHEMA_CACHE, app_settings.USAGE_CACHE_ALIAS])
    for alias in aliases:
        caches: dict[str, Any] = settings.CACHES
        config = caches.get(alias) if isinstance(alias, str) else None
        if not isinstance(config, dict) or config.get("BACKEND") != _REDIS:
            continue
        options = config.get("OPTIONS") or {}
        missing = [name for name in _TIMEOUTS if options.get(name) is None]
        if missing:
            messages.append(
                Warning(
                    f"CACHES['{alias}'] is Redis without {' and '.join(missing)}: a hung Redis "
                    "would hold requests and the usage thread for as long as the system lets it.",
                    hint="Set OPTIONS {'socket_connect_timeout': 0.5, 'socket_timeout': 0.5} "
                    "(seconds); see the README's 'Operating under faults'.",
                    id="versioning_app.W013",
                )
            )
    return messages

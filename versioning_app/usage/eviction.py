"""Whether the usage cache's server evicts keys: said at each flush, with numbers (Redis only).

Counts wait in the cache until flushed. A Redis under ``maxmemory`` with an eviction policy
may drop them, whole slots included, where the flush cannot see a trace of them. What the
server itself reports is the one place left to see it: its eviction policy, and how many keys
it has evicted (``INFO stats``, ``evicted_keys``) since this process last looked.
"""

from __future__ import annotations

import logging
import threading

from django.core.cache import BaseCache

logger = logging.getLogger("versioning_app.usage")

# Policies under which our keys may be evicted: every key, or every key with an expiry (every
# usage entry expires after BUFFER_TIMEOUT, so "volatile-*" evicts them too).
_EVICTING = ("allkeys-", "volatile-")
_lock = threading.Lock()
_last: dict[str, int] = {}  # the cache's servers -> evicted_keys seen last
_policy_said: set[str] = set()


def evictions(cache: BaseCache) -> int | None:
    """Keys the cache's Redis evicted since the last call in this process (logged); else None.

    None for any other cache, or when the server does not answer: this is a report, never a
    reason for a flush to fail.
    """
    get_client = getattr(getattr(cache, "_cache", None), "get_client", None)
    if get_client is None:
        return None
    try:
        client = get_client(write=True)
        evicted = int(client.info("stats")["evicted_keys"])
        policy = str(client.config_get("maxmemory-policy").get("maxmemory-policy", ""))
    except Exception:
        return None
    key = repr(getattr(cache, "_servers", None) or id(cache))
    with _lock:
        before = _last.get(key)
        _last[key] = evicted
        first_look = key not in _policy_said
        _policy_said.add(key)
    if first_look and policy.startswith(_EVICTING):
        logger.warning(
            "The usage cache's Redis evicts keys (maxmemory-policy %s): usage counts may be "
            "lost under memory pressure. Use noeviction for it (README: Operating under faults).",
            policy,
        )
    if before is None:
        return 0
    new = max(0, evicted - before)
    if new:
        logger.warning(
            "The usage cache's Redis evicted %d keys since the last flush: usage counts may "
            "be among them.",
            new,
        )
    return new

"""A new client's label and contact e-mail: taken from its first request, carried by the cache.

The flush creates client rows from the usage buffer, where a client is a key (a keyed hash by
default) that names nobody. So the first request a process sees from a client not known yet
leaves the client's label and e-mail in the usage cache (once per process and client, bounded),
and the flush that creates the row reads them there. Steady state: one dictionary lookup.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from typing import Any

from django.core.cache import caches
from django.utils.module_loading import import_string

from versioning_app.conf import app_settings
from versioning_app.usage.buffer import BUFFER_TIMEOUT, KEY_PREFIX

logger = logging.getLogger("versioning_app.usage")

_PREFIX = f"{KEY_PREFIX}:client-label"
#: Clients this process has noted; emptied when full (a noted label is only a hint).
_MAX_NOTED = 10_000
_noted: set[str] = set()
_lock = threading.Lock()
MAX_LABEL_LENGTH = 150
MAX_EMAIL_LENGTH = 254


def default_label(request: Any) -> tuple[str, str]:
    """The authenticated user's username and e-mail; empty strings for anyone else."""
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return "", ""
    return str(user.get_username()), str(getattr(user, "email", "") or "")


def label_key(client: str) -> str:
    """The cache key of a client's noted label."""
    return f"{_PREFIX}:{client}"


def note(request: Any, client: str) -> None:
    """Leave the label of a client not known yet for the flush (once per process); never raises."""
    if client in _noted or not app_settings.CLIENTS_STORE_LABELS:
        return
    # Noted before trying: a cache that is down costs one attempt per client and process,
    # not one per request.
    with _lock:
        if len(_noted) >= _MAX_NOTED:
            _noted.clear()
        _noted.add(client)
    try:
        label, email = import_string(app_settings.CLIENTS_LABEL)(request)
        value = (str(label or "")[:MAX_LABEL_LENGTH], str(email or "")[:MAX_EMAIL_LENGTH])
        caches[app_settings.USAGE_CACHE_ALIAS].set(label_key(client), value, BUFFER_TIMEOUT)
    except Exception:  # a label is a nicety: it never breaks a request
        logger.warning("Could not note an API client's label.", exc_info=True)


def noted_labels(clients: Iterable[str]) -> dict[str, tuple[str, str]]:
    """The labels noted for ``clients`` (those found in the cache)."""
    keys = {label_key(client): client for client in clients}
    if not keys:
        return {}
    found = caches[app_settings.USAGE_CACHE_ALIAS].get_many(list(keys))
    return {keys[key]: (str(value[0]), str(value[1])) for key, value in found.items()}


def forget_noted() -> None:
    """Forget which clients this process noted (tests; a new label is then noted again)."""
    with _lock:
        _noted.clear()

"""Usage counting on the request path: who called which version and endpoint, into the cache.

Nothing here touches the database. A request is counted once its response exists, in the
cache named by ``USAGE_CACHE_ALIAS``, under a key per (time slot, version, route, method,
client). ``usage_flush`` moves closed slots into the database.

Buffer layout (every key expires after ``BUFFER_TIMEOUT``):

- ``<slot>:c:<digest>``: the count of one descriptor in one slot (atomic ``incr``);
- ``<slot>:n``: how many descriptors the slot has; ``<slot>:i:<n>``: the n-th descriptor;
- ``<slot>:id``: a random batch id, the slot's identity in the database (``UsageFlush``);
- ``first``: the oldest slot not flushed yet, so that a flush reads only a few slots.

The cache API has no sets, so the index is an atomic counter plus one key per entry.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any, NamedTuple

from django.core.cache import BaseCache, caches
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from django.utils.module_loading import import_string

from .changes import HTTP_METHODS
from .conf import app_settings
from .versions import VersionNumber

logger = logging.getLogger("versioning_app.usage")

#: How long unflushed counts survive in the cache: the flush looks back this far.
BUFFER_TIMEOUT = 2 * 24 * 3600
KEY_PREFIX = "versioning_app:usage:v1"
#: Methods outside HTTP_METHODS are stored as this, so clients cannot grow the table.
OTHER_METHOD = "OTHER"
MAX_CLIENT_LENGTH = 64
#: The client of requests that carry no identity the resolver recognises.
ANONYMOUS = "anonymous"
MAX_ROUTE_LENGTH = 200
# The purpose string of the HMAC key: a client digest means nothing outside this app.
_HMAC_SALT = "versioning_app.usage.client"


class Descriptor(NamedTuple):
    """What one counter counts: a version, an endpoint (route and method) and a client."""

    version: str
    route: str
    method: str
    client: str


def hash_client(kind: str, value: object) -> str:
    """A stable, keyed digest for a client identity (``kind:hexdigest``); irreversible."""
    digest = salted_hmac(_HMAC_SALT, f"{kind}:{value}", algorithm="sha256").hexdigest()
    return f"{kind}:{digest[:32]}"


def default_client(request: HttpRequest) -> str | None:
    """The authenticated user, else the token (both as keyed hashes); ``None`` is anonymous."""
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False) and user.pk is not None:
        return hash_client("user", user.pk)
    # DRF copies the authenticator's ``auth`` onto the Django request; an API key or token
    # without a user is the client itself.
    auth = getattr(request, "auth", None)
    if auth is None:
        return None
    key = auth if isinstance(auth, str) else getattr(auth, "key", None) or getattr(auth, "pk", None)
    return hash_client("token", key) if key else None


_resolvers: dict[str, Callable[[HttpRequest], str | None]] = {}


def client_resolver() -> Callable[[HttpRequest], str | None]:
    """The configured ``USAGE_CLIENT_RESOLVER``, imported once."""
    path = app_settings.USAGE_CLIENT_RESOLVER
    resolver = _resolvers.get(path)
    if resolver is None:
        resolver = _resolvers[path] = import_string(path)
    return resolver


def resolve_client(request: HttpRequest) -> str:
    """The client as stored: the resolver's answer, hashed when too long, or ``anonymous``."""
    client = client_resolver()(request)
    if not client:
        return ANONYMOUS
    client = str(client)
    if len(client) > MAX_CLIENT_LENGTH or not client.isprintable():
        return hash_client("client", client)
    return client


def usage_cache() -> BaseCache:
    """The cache that buffers the counts."""
    return caches[app_settings.USAGE_CACHE_ALIAS]


def slot_prefix(slot_seconds: int, slot: int) -> str:
    """The key prefix of one slot (the slot width is part of it, so a changed width is safe)."""
    return f"{KEY_PREFIX}:{slot_seconds}:{slot}"


def first_slot_key(slot_seconds: int) -> str:
    """The key holding the oldest slot that may still hold unflushed counts."""
    return f"{KEY_PREFIX}:{slot_seconds}:first"


def counter_key(prefix: str, descriptor: Descriptor) -> str:
    """The cache key counting one descriptor in one slot (hashed: any route name is safe)."""
    digest = hashlib.blake2b("\x1f".join(descriptor).encode(), digest_size=16).hexdigest()
    return f"{prefix}:c:{digest}"


class UsageCounter:
    """Counts requests into the cache; one per process, safe to call from many threads."""

    def __init__(self) -> None:
        # The counter keys this process knows to exist in the current slot: with them, a
        # request costs one ``incr``; registering a new key costs a few more cache calls.
        # One tuple, replaced whole, so that a reader never pairs a slot with another's keys.
        self._state: tuple[tuple[int, int], dict[Descriptor, str]] = ((0, -1), {})
        self._lock = threading.Lock()

    def reset(self) -> None:
        """Forget the known keys (the cache was cleared, or the settings changed)."""
        with self._lock:
            self._state = ((0, -1), {})

    def count(self, descriptor: Descriptor, now: float | None = None) -> None:
        """Add one request of ``descriptor`` to the slot of ``now``."""
        slot_seconds = app_settings.USAGE_SLOT_SECONDS
        slot = int(time.time() if now is None else now) // slot_seconds
        cache = usage_cache()
        slot_id, known = self._state
        if slot_id != (slot_seconds, slot):
            with self._lock:
                if self._state[0] < (slot_seconds, slot) or self._state[0][0] != slot_seconds:
                    self._state = ((slot_seconds, slot), {})
                slot_id, known = self._state
            if slot_id != (slot_seconds, slot):
                known = {}  # a straggler from an older slot: count it, remember nothing
        key = known.get(descriptor)
        if key is not None:
            try:
                cache.incr(key)
                return
            except ValueError:
                pass  # evicted or flushed under us: register it again
        key = self._register(cache, slot_seconds, slot, descriptor)
        cache.incr(key)
        known[descriptor] = key

    @staticmethod
    def _register(cache: BaseCache, slot_seconds: int, slot: int, descriptor: Descriptor) -> str:
        prefix = slot_prefix(slot_seconds, slot)
        key = counter_key(prefix, descriptor)
        # ``add`` is atomic: exactly one process creates the counter, and only it indexes it.
        if cache.add(key, 0, BUFFER_TIMEOUT):
            cache.add(f"{prefix}:id", uuid.uuid4().hex, BUFFER_TIMEOUT)
            cache.add(f"{prefix}:n", 0, BUFFER_TIMEOUT)
            position = cache.incr(f"{prefix}:n")
            cache.set(f"{prefix}:i:{position}", tuple(descriptor), BUFFER_TIMEOUT)
            if position == 1:
                # Where the flush starts looking; it moves this forward as it goes.
                cache.add(first_slot_key(slot_seconds), slot, BUFFER_TIMEOUT)
        return key


counter = UsageCounter()


def describe(request: HttpRequest) -> Descriptor | None:
    """The descriptor of a request that reached an endpoint of a served version, else None."""
    version = getattr(request, "api_version", None)
    match = getattr(request, "resolver_match", None)
    if not isinstance(version, VersionNumber) or match is None or not match.url_name:
        return None
    method = request.method if request.method in HTTP_METHODS else OTHER_METHOD
    return Descriptor(
        str(version), match.url_name[:MAX_ROUTE_LENGTH], str(method), resolve_client(request)
    )


def record(request: HttpRequest) -> None:
    """Count a finished request if it reached a served version; never raises."""
    if not app_settings.USAGE_ENABLED:
        return
    try:
        descriptor = describe(request)
        if descriptor is None:
            return
        counter.count(descriptor)
        from .usage_flush import auto_flusher

        auto_flusher.ensure_started()
    except Exception:  # noqa: BLE001  (usage counting must never break the API)
        logger.warning("Could not count an API request.", exc_info=True)


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs: Any) -> None:
    if setting in ("VERSIONING_APP", "CACHES"):
        counter.reset()
        _resolvers.clear()

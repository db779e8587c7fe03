"""Usage counting on the request path: who called which version and endpoint, into the cache.

Nothing here touches the database. A request is counted once its response exists, first in
this process's memory, then pushed in batches to the cache named by ``USAGE_CACHE_ALIAS``,
under a key per (time slot, version, route, method, client). ``usage_flush`` moves closed
slots from the cache into the database.

Buffer layout, an append-only log per slot (every key expires after ``BUFFER_TIMEOUT``):

- ``<slot>:n``: how many entries the slot has, reserved with one atomic ``incr`` per push;
- ``<slot>:i:<n>``: the n-th entry, ``(version, route, method, client, requests)``;
- ``<slot>:id``: a random batch id, the slot's identity in the database (``UsageFlush``);
- ``first``: the oldest slot not flushed yet, so that a flush reads only a few slots.

A push costs three cache calls per slot whatever the number of clients; an entry is written
once and never updated, so a failed push leaves nothing half-counted.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from typing import NamedTuple

from django.core.cache import BaseCache, caches
from django.utils.crypto import salted_hmac

from versioning_app.conf import app_settings

logger = logging.getLogger("versioning_app.usage")

#: How long unflushed counts survive in the cache: the flush looks back this far.
BUFFER_TIMEOUT = 2 * 24 * 3600
KEY_PREFIX = "versioning_app:usage:v1"
MAX_CLIENT_LENGTH = 64
#: The client of requests that carry no identity the resolver recognises.
ANONYMOUS = "anonymous"
#: The client of a request whose resolver failed (a session that could not be loaded while
#: the database was down, say): the request is still counted, but names no client.
UNIDENTIFIED = "unidentified"
#: Client names that are not a client: never a client row, a pin or a per-client verdict.
NOT_CLIENTS = frozenset({ANONYMOUS, UNIDENTIFIED})
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


def usage_cache() -> BaseCache:
    """The cache that buffers the counts."""
    return caches[app_settings.USAGE_CACHE_ALIAS]


def slot_prefix(slot_seconds: int, slot: int) -> str:
    """The key prefix of one slot (the slot width is part of it, so a changed width is safe)."""
    return f"{KEY_PREFIX}:{slot_seconds}:{slot}"


def first_slot_key(slot_seconds: int) -> str:
    """The key holding the oldest slot that may still hold unflushed counts."""
    return f"{KEY_PREFIX}:{slot_seconds}:first"


class UsageCounter:
    """This process's counts, pushed into the shared cache buffer in batches; thread-safe.

    A request costs a dictionary increment under a lock. The counts reach the cache once per
    slot: pushed by the background worker (``usage_flush.UsageWorker``) every few seconds, or,
    with the worker off, by the first request of each new slot, and at process exit.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: dict[tuple[int, int, Descriptor], int] = {}
        self._slot: tuple[int, int] = (0, -1)

    def count(self, descriptor: Descriptor, now: float | None = None) -> bool:
        """Count one request in the slot of ``now``; True if it is this process's first there."""
        slot_seconds = app_settings.USAGE_SLOT_SECONDS
        slot = int(time.time() if now is None else now) // slot_seconds
        key = (slot_seconds, slot, descriptor)
        with self._lock:
            self._pending[key] = self._pending.get(key, 0) + 1
            if self._slot == (slot_seconds, slot):
                return False
            if slot_seconds == self._slot[0] and slot < self._slot[1]:
                return False  # a straggler from an older slot
            self._slot = (slot_seconds, slot)
            return True

    @property
    def pending(self) -> int:
        """Requests counted in this process and not pushed to the cache yet."""
        with self._lock:
            return sum(self._pending.values())

    def discard(self) -> None:
        """Forget the pending counts (after a fork: the parent owns them)."""
        self._lock = threading.Lock()
        self._pending = {}
        self._slot = (0, -1)

    def push(self, now: float | None = None, *, include_open: bool = True) -> int:
        """Append this process's pending counts to the shared buffer; returns how many requests.

        ``include_open=False`` keeps the current slot's counts in the process (it is still
        counting them). Counts whose slot ended more than half the grace period ago may already
        be flushed: they are dated to the current slot instead, late but never lost.
        """
        now = time.time() if now is None else now
        current = int(now)
        with self._lock:
            if include_open:
                taken, self._pending = self._pending, {}
            else:
                taken = {k: v for k, v in self._pending.items() if (k[1] + 1) * k[0] <= current}
                for key in taken:
                    del self._pending[key]
        if not taken:
            return 0
        late = now - app_settings.USAGE_FLUSH_GRACE_SECONDS / 2
        slots: dict[tuple[int, int], list[tuple[Descriptor, int]]] = {}
        for (slot_seconds, slot, descriptor), requests in taken.items():
            if (slot + 1) * slot_seconds <= late:
                slot = current // slot_seconds
            slots.setdefault((slot_seconds, slot), []).append((descriptor, requests))
        pushed = 0
        remaining = sorted(slots.items())
        try:
            cache = usage_cache()
            while remaining:
                (slot_seconds, slot), entries = remaining[0]
                self._append(cache, slot_seconds, slot, entries)
                remaining.pop(0)
                pushed += sum(requests for _, requests in entries)
        except Exception:
            # The failed slot and every slot after it are kept for the next push (a failed
            # append stored nothing: its entries are written in one call, after their
            # positions were reserved); nothing taken is dropped.
            for (slot_seconds, slot), entries in remaining:
                self._restore(slot_seconds, slot, entries)
            raise
        return pushed

    def _restore(self, slot_seconds: int, slot: int, entries: list[tuple[Descriptor, int]]) -> None:
        with self._lock:
            for descriptor, requests in entries:
                key = (slot_seconds, slot, descriptor)
                self._pending[key] = self._pending.get(key, 0) + requests

    @staticmethod
    def _append(
        cache: BaseCache, slot_seconds: int, slot: int, entries: list[tuple[Descriptor, int]]
    ) -> None:
        """Append entries to a slot's log: reserve positions atomically, then write them."""
        prefix = slot_prefix(slot_seconds, slot)
        cache.add(f"{prefix}:id", uuid.uuid4().hex, BUFFER_TIMEOUT)
        cache.add(f"{prefix}:n", 0, BUFFER_TIMEOUT)
        last = cache.incr(f"{prefix}:n", len(entries))
        first = last - len(entries) + 1
        cache.set_many(
            {
                f"{prefix}:i:{first + offset}": (*descriptor, requests)
                for offset, (descriptor, requests) in enumerate(entries)
            },
            BUFFER_TIMEOUT,
        )
        if first == 1:
            # Where the flush starts looking; the flush moves it forward as it goes. It never
            # expires: set anew after its expiry, it would hide older slots from the flush.
            cache.add(first_slot_key(slot_seconds), slot, None)


counter = UsageCounter()
# A forked child (a pre-forking server's worker) starts with no counts: the parent owns them.
os.register_at_fork(after_in_child=counter.discard)

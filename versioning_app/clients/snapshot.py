"""The per-process view of the clients: each one's first request and pins, revalidated cheaply.

Beside the lifecycle snapshot and revalidated the same way: at most once every
``LIFECYCLE_REFRESH_SECONDS`` a process reads a fingerprint of the client and pin tables (two
aggregate queries) and reads the rows again only when it changed. So the request path does no
query in steady state, a pin changed anywhere (admin, command, another service) reaches every
worker within the refresh bound, and what is held is bounded by the tables' rows, never by
client input. A save in this process shows at once (``receivers``).

    from versioning_app import clients

    clients.first_seen("user:0853d8...")     # datetime, or None for a client never flushed
    clients.pinned("user:0853d8...", 1)       # VersionNumber, or None
"""

from __future__ import annotations

import datetime
import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from django.db import DatabaseError
from django.db.models import Count, Max

from versioning_app.conf import app_settings
from versioning_app.versions import VersionNumber

logger = logging.getLogger(__name__)

Fingerprint = tuple[object, ...]


@dataclass(frozen=True)
class ClientsSnapshot:
    """An immutable view of every client's first request and pins at one moment."""

    first_seen: Mapping[str, datetime.datetime] = field(
        default_factory=lambda: MappingProxyType({})
    )
    #: ``(client key, major) -> pinned minor``.
    pins: Mapping[tuple[str, int], VersionNumber] = field(
        default_factory=lambda: MappingProxyType({})
    )
    fingerprint: Fingerprint = ()
    #: The pins of declared versions as the version header spells them (what a request reads).
    pin_versions: Mapping[tuple[str, int], str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # Once per load, not per request: a pin to a version no longer declared is ignored
        # (the client gets the newest minor), never answered as an unknown header.
        bundle = app_settings.versions
        declared = {key: str(number) for key, number in self.pins.items() if number in bundle}
        object.__setattr__(self, "pin_versions", MappingProxyType(declared))


def _fingerprint() -> Fingerprint:
    from versioning_app.clients.models import Client, Pin

    # A client's first_seen never changes once its row exists: count and newest id say all.
    clients = Client.objects.aggregate(n=Count("pk"), last=Max("pk"))
    pins = Pin.objects.aggregate(n=Count("pk"), last=Max("pk"), changed=Max("changed_at"))
    return (clients["n"], clients["last"], pins["n"], pins["last"], pins["changed"])


def load_clients(fingerprint: Fingerprint | None = None) -> ClientsSnapshot:
    """Read every client's first request and every pin into a new snapshot."""
    from versioning_app.clients.models import Client, Pin

    fingerprint = _fingerprint() if fingerprint is None else fingerprint
    first_seen = dict(Client.objects.values_list("key", "first_seen"))
    pins: dict[tuple[str, int], VersionNumber] = {}
    for key, major, version in Pin.objects.values_list("client__key", "major", "version"):
        try:
            pins[key, major] = VersionNumber.parse(version)
        except ValueError:  # a hand-edited row: the client is served as unpinned
            logger.warning("Ignoring the malformed pin %r of client %s.", version, key)
    return ClientsSnapshot(MappingProxyType(first_seen), MappingProxyType(pins), fingerprint)


class _ProcessCache:
    """The clients view this process serves, and until when without a look at the tables."""

    def __init__(self) -> None:
        self.snapshot: ClientsSnapshot | None = None
        self.fresh_until = 0.0
        self.lock = threading.Lock()

    def revalidate(self) -> ClientsSnapshot:
        with self.lock:
            if self.snapshot is not None and time.monotonic() < self.fresh_until:
                return self.snapshot
            try:
                fingerprint = _fingerprint()
                if self.snapshot is None or self.snapshot.fingerprint != fingerprint:
                    self.snapshot = load_clients(fingerprint)
            except DatabaseError:
                if self.snapshot is None:
                    # No table yet (before migrate) or no database: nobody is pinned.
                    logger.warning("Cannot read the API clients; serving none for now.")
                    self.snapshot = ClientsSnapshot()
                else:
                    logger.warning("Cannot reload the API clients; serving the last ones read.")
            self.fresh_until = time.monotonic() + app_settings.LIFECYCLE_REFRESH_SECONDS
            return self.snapshot

    def install(self, snapshot: ClientsSnapshot | None, until: float) -> None:
        with self.lock:
            self.snapshot, self.fresh_until = snapshot, until


_process = _ProcessCache()


def get_clients() -> ClientsSnapshot:
    """The clients view to serve now (no database query in steady state)."""
    snapshot = _process.snapshot
    if snapshot is not None and time.monotonic() < _process.fresh_until:
        return snapshot
    return _process.revalidate()


def invalidate_local() -> None:
    """Forget this process's view, so that the next access reloads the tables."""
    _process.install(None, 0.0)


# Changed settings (VERSIONS) change which pins are served: read the rows again.
app_settings.on_reload(invalidate_local)


def first_seen(key: str) -> datetime.datetime | None:
    """When the client ``key`` was first seen (as flushed), or None if never."""
    return get_clients().first_seen.get(key)


def pinned(key: str, major: int) -> VersionNumber | None:
    """The minor of ``major`` the client ``key`` is pinned to, if any."""
    return get_clients().pins.get((key, major))

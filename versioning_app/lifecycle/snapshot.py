"""The per-process lifecycle snapshot: every lifecycle row, read once, revalidated cheaply.

Each worker process holds an immutable :class:`LifecycleSnapshot`. At most once every
``LIFECYCLE_REFRESH_SECONDS`` it reads the rows again (three small queries) and keeps its
snapshot when their fingerprint is unchanged. So the request path does no database query in
steady state, and every change to the rows reaches every worker within the refresh bound
however it was made: the admin, the lifecycle functions, ``QuerySet.update()``,
``bulk_create()``, raw SQL or another service writing the tables. Each process reads through
its own database connection, so no process ever serves another's uncommitted change. Model
signals only accelerate (``receivers``): a save or delete in this process shows in its own
snapshot at once.

Public API (used by the runtime, the OpenAPI docs and the usage admin)::

    from versioning_app.lifecycle import get_snapshot

    snapshot = get_snapshot()
    state = snapshot.version(VersionNumber(1, 0))   # a VersionState, never None
    state.status, state.deprecated_at, state.sunset_at, state.successor, state.documentation_url
    snapshot.endpoint_deprecation("book-similar", "GET", VersionNumber(1, 0))  # or None
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import logging
import math
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from django.db import DatabaseError
from django.utils import timezone

from versioning_app.conf import app_settings
from versioning_app.lifecycle.brownouts import KEPT_AFTER_END, BrownoutState
from versioning_app.versions import VersionNumber

PREVIEW, STABLE, DEPRECATED, RETIRED = "preview", "stable", "deprecated", "retired"
#: Not a row's status: the lifecycle of the version cannot be known now (the database cannot be
#: read, or its row is missing and this process never saw it); it answers 503, never served.
UNKNOWN = "unknown"

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class VersionState:
    """Where one version is in its life, as the runtime sees it."""

    number: VersionNumber
    status: str = STABLE
    released_at: datetime.datetime | None = None
    deprecated_at: datetime.datetime | None = None
    sunset_at: datetime.datetime | None = None
    successor: VersionNumber | None = None
    documentation_url: str = ""
    notes: str = ""
    #: Policy: writes answer 410 ``read-only``.
    read_only: bool = False
    #: Policy: a client first seen after this moment answers 400.
    new_clients_until: datetime.datetime | None = None

    @property
    def has_policy(self) -> bool:
        """Whether a policy (read-only, no new clients) is set on the version."""
        return self.read_only or self.new_clients_until is not None

    @property
    def is_unknown(self) -> bool:
        """Whether the version's lifecycle cannot be known now (answers 503)."""
        return self.status == UNKNOWN

    @property
    def is_preview(self) -> bool:
        """Whether the version is a preview (``API-Lifecycle: preview``)."""
        return self.status == PREVIEW

    @property
    def is_deprecated(self) -> bool:
        """Whether responses carry the deprecation headers."""
        return self.status == DEPRECATED

    def is_gone(self, now: datetime.datetime) -> bool:
        """Whether the version answers 410: retired, or deprecated and past its sunset."""
        return version_gone(self.status, self.sunset_at, now)


def version_gone(status: str, sunset_at: datetime.datetime | None, now: datetime.datetime) -> bool:
    """The one rule for "answers 410": retired, or deprecated and past its sunset."""
    if status == RETIRED:
        return True
    return status == DEPRECATED and sunset_at is not None and sunset_at <= now


@dataclass(frozen=True)
class EndpointDeprecationState:
    """One deprecated operation: ``route`` (and ``method``, or every method) from a version on."""

    route: str
    method: str | None
    from_version: VersionNumber
    deprecated_at: datetime.datetime
    sunset_at: datetime.datetime | None = None
    replacement: str = ""
    documentation_url: str = ""
    note: str = ""

    def applies_to(self, route: str, method: str, number: VersionNumber) -> bool:
        """Whether this deprecation covers ``method`` on ``route`` in version ``number``."""
        return (
            self.route == route
            and (self.method is None or self.method == method)
            and number >= self.from_version
        )

    def is_gone(self, now: datetime.datetime) -> bool:
        """Whether the operation answers 410 (past its sunset)."""
        return self.sunset_at is not None and self.sunset_at <= now


@dataclass(frozen=True)
class LifecycleSnapshot:
    """An immutable view of every lifecycle row at one moment."""

    versions: Mapping[VersionNumber, VersionState] = field(
        default_factory=lambda: MappingProxyType({})
    )
    endpoints: Mapping[str, tuple[EndpointDeprecationState, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    #: False when the rows could not be read and nothing was known: every version is unknown.
    readable: bool = True
    #: Declared versions whose row is missing and whose state this process never saw.
    unknown: frozenset[VersionNumber] = frozenset()
    #: The brownout windows of each version, by start (ended ones are dropped after a while).
    brownouts: Mapping[VersionNumber, tuple[BrownoutState, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    #: Versions with nothing to enforce or announce: stable, no endpoint deprecated in them, no
    #: brownout and no policy (nothing that depends on the time or the client).
    quiet: frozenset[VersionNumber] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # The request path asks "anything to do for this version?" first; for the stable head
        # (the common case) the answer is one set lookup.
        earliest = min(
            (item.from_version for items in self.endpoints.values() for item in items),
            default=None,
        )
        quiet = frozenset(
            number
            for number, state in self.versions.items()
            if state.status == STABLE
            and (earliest is None or number < earliest)
            and not state.has_policy
            and number not in self.brownouts
        )
        object.__setattr__(self, "quiet", quiet)

    def version(self, number: VersionNumber) -> VersionState:
        """The state of ``number``; a version without a row is stable, unless it is unknown."""
        state = self.versions.get(number)
        if state is not None:
            return state
        if not self.readable or number in self.unknown:
            return VersionState(number, status=UNKNOWN)
        return VersionState(number)

    def endpoint_deprecation(
        self, route: str, method: str, number: VersionNumber
    ) -> EndpointDeprecationState | None:
        """The deprecation of ``method`` on ``route`` in version ``number``, if any.

        When several rows apply, the one from the newest version wins (it is the most specific).
        """
        found = None
        for candidate in self.endpoints.get(route, ()):
            if candidate.applies_to(route, method, number) and (
                found is None or candidate.from_version >= found.from_version
            ):
                found = candidate
        return found

    @functools.cached_property
    def fingerprint(self) -> str:
        """A digest of the whole lifecycle: equal in every process that holds the same rows."""
        content = repr(
            (
                sorted(self.versions.items()),
                sorted(self.endpoints.items()),
                self.readable,
                sorted(self.unknown),
                sorted(self.brownouts.items()),
            )
        ).encode()
        return hashlib.sha256(content).hexdigest()[:16]

    @property
    def newest_stable(self) -> VersionNumber | None:
        """The newest version whose status is stable, if any."""
        stable = [number for number, state in self.versions.items() if state.status == STABLE]
        return max(stable) if stable else None


def load_snapshot(
    last_known: Mapping[VersionNumber, VersionState] | None = None,
) -> LifecycleSnapshot:
    """Read every lifecycle row from the database into a new snapshot (three queries).

    A declared version whose row is missing (deleted through the ORM, say) keeps its state in
    ``last_known`` (by default, what this process has read); never seen, it is unknown (503)
    when older than a version with a row, and stable when newer than all (declared since the
    last sync, which will create its row).
    """
    from versioning_app.models import Brownout, EndpointDeprecation, VersionLifecycle

    versions: dict[VersionNumber, VersionState] = {}
    for row in VersionLifecycle.objects.select_related("successor"):
        versions[row.number] = VersionState(
            number=row.number,
            status=row.status,
            released_at=row.released_at,
            deprecated_at=row.deprecated_at,
            sunset_at=row.sunset_at,
            successor=row.successor.number if row.successor is not None else None,
            documentation_url=row.documentation_url,
            notes=row.notes,
            read_only=row.read_only,
            new_clients_until=row.new_clients_until,
        )
    endpoints: dict[str, list[EndpointDeprecationState]] = {}
    for item in EndpointDeprecation.objects.select_related("from_version"):
        endpoints.setdefault(item.route, []).append(
            EndpointDeprecationState(
                route=item.route,
                method=item.method or None,
                from_version=item.from_version.number,
                deprecated_at=item.deprecated_at,
                sunset_at=item.sunset_at,
                replacement=item.replacement,
                documentation_url=item.documentation_url,
                note=item.note,
            )
        )
    unknown = _missing_rows(versions, _process.last_known if last_known is None else last_known)
    brownouts: dict[VersionNumber, list[BrownoutState]] = {}
    # Windows that ended long ago are history (the admin's calendar); the rest are served.
    # By the wall clock, not the lifecycle clock: what is loaded must not depend on a test's date.
    recent = timezone.now() - KEPT_AFTER_END
    for window in Brownout.objects.select_related("version").filter(ends_at__gt=recent):
        number = window.version.number
        brownouts.setdefault(number, []).append(
            BrownoutState(
                version=number,
                starts_at=window.starts_at,
                ends_at=window.ends_at,
                route=window.route,
                clients=window.client_keys,
                share=window.share,
                note=window.note,
            )
        )
    return LifecycleSnapshot(
        versions=MappingProxyType(versions),
        endpoints=MappingProxyType({route: tuple(items) for route, items in endpoints.items()}),
        brownouts=MappingProxyType({number: tuple(items) for number, items in brownouts.items()}),
        unknown=unknown,
    )


def _missing_rows(
    versions: dict[VersionNumber, VersionState], last_known: Mapping[VersionNumber, VersionState]
) -> frozenset[VersionNumber]:
    # A missing row never revives a version: its last known state stays (put into
    # ``versions``); the versions returned are unknown.
    newest_row = max(versions, default=None)
    unknown = set()
    for version in app_settings.versions:
        number = version.number
        if number in versions:
            continue
        if number in last_known:
            versions[number] = last_known[number]
            logger.warning(
                "API version %s has no lifecycle row; serving its last known state (%s).",
                number,
                last_known[number].status,
            )
        elif newest_row is not None and number < newest_row:
            unknown.add(number)
            logger.warning(
                "API version %s has no lifecycle row and no known state: it answers 503 until "
                "its row is back (manage.py api_versions --sync).",
                number,
            )
    return frozenset(unknown)


class _ProcessCache:
    """The snapshot this process serves, and until when it is served without a look at the rows."""

    def __init__(self) -> None:
        self.snapshot: LifecycleSnapshot | None = None
        # Every state this process has read, for a row that goes missing later.
        self.last_known: Mapping[VersionNumber, VersionState] = {}
        # Until when (time.monotonic()) the snapshot is served without reading the rows.
        self.fresh_until = 0.0
        # One reload at a time; and an invalidation waits for a reload under way, so that the
        # state this reload read before a commit cannot replace the invalidation after it.
        self.lock = threading.Lock()

    def revalidate(self) -> LifecycleSnapshot:
        with self.lock:
            if self.snapshot is not None and time.monotonic() < self.fresh_until:
                return self.snapshot  # another thread revalidated while this one waited
            try:
                loaded = load_snapshot()
            except DatabaseError:
                # The rows cannot be read now: the held state is the best known, and the
                # API keeps answering with it; the next bound tries again. With nothing held
                # (a worker starting while the database is down), every version is unknown:
                # what the declaration answers (400, 404) is answered, the rest is a 503.
                logger.warning(
                    "Cannot reload the API lifecycle; serving the last one read.", exc_info=True
                )
                if self.snapshot is None:
                    self.snapshot = LifecycleSnapshot(readable=False)
                self.fresh_until = time.monotonic() + app_settings.LIFECYCLE_REFRESH_SECONDS
                return self.snapshot
            self.last_known = {**self.last_known, **loaded.versions}
            # Nothing changed: keep the held object, and what was derived from it (fingerprint).
            if self.snapshot is not None and self.snapshot.fingerprint == loaded.fingerprint:
                loaded = self.snapshot
            self.snapshot = loaded
            self.fresh_until = time.monotonic() + app_settings.LIFECYCLE_REFRESH_SECONDS
            return loaded

    def install(
        self, snapshot: LifecycleSnapshot | None, until: float, *, forget: bool = True
    ) -> tuple[LifecycleSnapshot | None, float]:
        with self.lock:
            previous = (self.snapshot, self.fresh_until)
            self.snapshot, self.fresh_until = snapshot, until
            if forget:  # a snapshot put in place by hand: the states read before are moot
                self.last_known = {}
        return previous


_process = _ProcessCache()


def get_snapshot() -> LifecycleSnapshot:
    """The lifecycle snapshot to serve now (no database query in steady state)."""
    # Inline rather than a method of _ProcessCache: every versioned request asks, twice.
    snapshot = _process.snapshot
    if snapshot is not None and time.monotonic() < _process.fresh_until:
        return snapshot
    return _process.revalidate()


def install(
    snapshot: LifecycleSnapshot | None, *, until: float = math.inf
) -> tuple[LifecycleSnapshot | None, float]:
    """Serve ``snapshot`` until ``until`` (a ``time.monotonic()`` value; by default for good).

    ``None`` reloads the rows at the next access. Returns the snapshot and bound served
    before, so that the caller can put them back (``versioning_app.testing`` does).
    """
    return _process.install(snapshot, until)


def invalidate_local() -> None:
    """Forget this process's snapshot, so that the next access reloads the rows."""
    _process.install(None, 0.0, forget=False)

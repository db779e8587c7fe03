"""Test hooks of the lifecycle: the snapshot a test is served, and the clock it reads.

Documented in ``versioning_app.testing`` (the names are imported from there).
"""

from __future__ import annotations

import abc
import datetime
from contextlib import ContextDecorator
from types import TracebackType
from typing import Generic, TypeVar

from versioning_app.lifecycle import clock
from versioning_app.lifecycle.snapshot import (
    EndpointDeprecationState,
    LifecycleSnapshot,
    VersionState,
    install,
    invalidate_local,
    load_snapshot,
)

# The snapshot's types too, to build the lifecycle a test serves.
__all__ = [
    "EndpointDeprecationState",
    "LifecycleSnapshot",
    "VersionState",
    "lifecycle_at",
    "refresh_lifecycle",
    "serve_lifecycle",
]


T = TypeVar("T")


class _Toggle(ContextDecorator, Generic[T], abc.ABC):
    """``with`` and decorator use of a test hook that has ``enable()`` and ``disable()``."""

    @abc.abstractmethod
    def enable(self) -> T:
        """Start (what entering the ``with`` block does)."""

    @abc.abstractmethod
    def disable(self) -> None:
        """Undo :meth:`enable`."""

    def __enter__(self) -> T:
        return self.enable()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.disable()


class serve_lifecycle(_Toggle[LifecycleSnapshot]):  # lower case, like override_settings
    """Serve ``snapshot`` (by default the rows in the database on entry), with no revalidation."""

    def __init__(self, snapshot: LifecycleSnapshot | None = None) -> None:
        self.snapshot = snapshot
        # A stack: the same decorated function may be entered again before it exits.
        self._previous: list[tuple[LifecycleSnapshot | None, float]] = []

    def enable(self) -> LifecycleSnapshot:
        """Start serving the pinned snapshot (what entering the ``with`` block does)."""
        served = self.snapshot if self.snapshot is not None else load_snapshot()
        self._previous.append(install(served))
        return served

    def disable(self) -> None:
        """Serve again what was served before :meth:`enable`."""
        snapshot, until = self._previous.pop()
        install(snapshot, until=until)


def refresh_lifecycle() -> None:
    """Drop this process's lifecycle snapshot: the next request reloads the rows (ends a pin)."""
    invalidate_local()


def _moment(value: datetime.datetime | datetime.date | str) -> datetime.datetime:
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if not isinstance(value, datetime.datetime):  # a date: its midnight, UTC
        value = datetime.datetime(value.year, value.month, value.day)
    return value if value.tzinfo else value.replace(tzinfo=datetime.UTC)


class lifecycle_at(_Toggle[datetime.datetime]):  # lower case, like override_settings
    """Make every lifecycle decision read ``moment`` as now (a datetime, date or ISO string).

    Status by date, sunsets passed, brownouts under way, policy dates and header values all
    follow; naive moments are UTC. A context manager, a decorator, or ``enable()`` and
    ``disable()``; on exit the clock is what it was before.
    """

    def __init__(self, moment: datetime.datetime | datetime.date | str) -> None:
        self.moment = _moment(moment)
        self._previous: list[datetime.datetime | None] = []

    def enable(self) -> datetime.datetime:
        """Set the clock (what entering the ``with`` block does); returns the moment."""
        self._previous.append(clock.set_now(self.moment))
        return self.moment

    def disable(self) -> None:
        """Put back the clock of before :meth:`enable`."""
        clock.set_now(self._previous.pop())


class LifecycleClock:
    """The lifecycle clock under a test's control (the ``lifecycle_clock`` pytest fixture)."""

    def __init__(self) -> None:
        self._previous: datetime.datetime | None = None
        self._set = False

    @property
    def now(self) -> datetime.datetime:
        """What the lifecycle reads as now."""
        return clock.now()

    def set(self, moment: datetime.datetime | datetime.date | str) -> datetime.datetime:
        """Make the lifecycle read ``moment`` as now, until the test ends or the next call."""
        previous = clock.set_now(_moment(moment))
        if not self._set:
            self._previous, self._set = previous, True
        return clock.now()

    def advance(self, **delta: float) -> datetime.datetime:
        """Move the lifecycle's now forward by ``datetime.timedelta(**delta)``."""
        return self.set(clock.now() + datetime.timedelta(**delta))

    def reset(self) -> None:
        """Back to the clock of before the first :meth:`set` (the wall clock, usually)."""
        if self._set:
            clock.set_now(self._previous)
            self._set = False

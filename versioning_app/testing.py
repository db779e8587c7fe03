"""Helpers for a project's own tests.

**The lifecycle snapshot.** Each process serves the lifecycle from a snapshot of the rows that
it reloads at most every ``LIFECYCLE_REFRESH_SECONDS`` (and at once after a save or delete made
in the process). A test that needs to know exactly which lifecycle is served pins it:

- :class:`serve_lifecycle` serves a given snapshot, or the rows in the database on entry, and
  never revalidates it by time. Like ``override_settings``, it works as a context manager, as
  a function decorator, or with ``enable()`` and ``disable()`` (in ``setUp`` and a cleanup);
  on exit it serves again what was served before. A save or delete of
  a lifecycle row in this process (the admin, the lifecycle functions, ``Model.save()``) ends
  the pin, as it would in production: the next request reloads the rows.
- :func:`refresh_lifecycle` drops the snapshot, so that the next request reloads the rows:
  call it after a change that sends no model signal (``QuerySet.update()``, ``bulk_create()``,
  raw SQL) to see that change at once rather than after the refresh bound. Called by an
  autouse fixture, it also keeps a test from being served the lifecycle that an earlier test
  left in the snapshot (its rows rolled back since).

A snapshot is built from the snapshot's own types (a version without a state is stable).
Example (pytest with pytest-django)::

    from django.utils import timezone

    from versioning_app import VersionNumber
    from versioning_app.models import VersionLifecycle
    from versioning_app.testing import (
        LifecycleSnapshot, VersionState, refresh_lifecycle, serve_lifecycle,
    )

    V09 = VersionNumber(0, 9)

    @serve_lifecycle(LifecycleSnapshot(versions={V09: VersionState(V09, status="retired")}))
    def test_a_retired_version_is_gone(client):
        assert client.get("/api/v0/books/").status_code == 410

    def test_a_bulk_deprecation(client, db):
        VersionLifecycle.objects.filter(version="1.1").update(  # sends no signal
            status="deprecated", deprecated_at=timezone.now()
        )
        refresh_lifecycle()
        assert "Deprecation" in client.get("/api/v1/books/").headers
"""

from __future__ import annotations

from contextlib import ContextDecorator
from types import TracebackType

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
    "refresh_lifecycle",
    "serve_lifecycle",
]


class serve_lifecycle(ContextDecorator):  # lower case, like override_settings
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

    def __enter__(self) -> LifecycleSnapshot:
        return self.enable()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.disable()


def refresh_lifecycle() -> None:
    """Drop this process's lifecycle snapshot: the next request reloads the rows (ends a pin)."""
    invalidate_local()

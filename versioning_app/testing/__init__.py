"""Helpers for a project's own tests (the README's "Testing your API" chapter).

**The lifecycle clock.** Every lifecycle decision reads "now" from one clock. :class:`lifecycle_at`
sets it (a context manager, a decorator, or ``enable()``/``disable()``); the pytest fixture
``lifecycle_clock`` (``pytest_plugins = ["versioning_app.testing.pytest_plugin"]`` in the
project's ``conftest.py``) sets it for one test with ``lifecycle_clock.set(...)`` and
``.advance(days=...)``. So a test asks what happens on the sunset day without a hard-coded date::

    with lifecycle_at("2031-01-02"):
        assert_gone(client.get("/api/v1/books/"), successor="2.0")

**Assertions.** :func:`assert_deprecated`, :func:`assert_gone`, :func:`assert_brownout` and
:func:`assert_read_only` check a response and return what they parsed (``Deprecation`` as
RFC 9745, ``Sunset`` as RFC 8594, ``Link`` as RFC 8288). :class:`VersionedAPIClient` (and the
``versioned_api`` fixture) sends ``API-Version``. :func:`flush_usage` writes this process's
usage counts to the database, so that a test can read the usage rows.

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

from versioning_app.lifecycle.snapshot import (
    EndpointDeprecationState,
    LifecycleSnapshot,
    VersionState,
)
from versioning_app.testing.assertions import (
    LifecycleHeaders,
    assert_brownout,
    assert_deprecated,
    assert_gone,
    assert_not_deprecated,
    assert_read_only,
    parse_deprecation,
    parse_links,
    parse_sunset,
)
from versioning_app.testing.clients import VersionedAPIClient
from versioning_app.testing.lifecycle import (
    LifecycleClock,
    lifecycle_at,
    refresh_lifecycle,
    serve_lifecycle,
)
from versioning_app.testing.usage import flush_usage

__all__ = [
    "EndpointDeprecationState",
    "LifecycleClock",
    "LifecycleHeaders",
    "LifecycleSnapshot",
    "VersionState",
    "VersionedAPIClient",
    "assert_brownout",
    "assert_deprecated",
    "assert_gone",
    "assert_not_deprecated",
    "assert_read_only",
    "flush_usage",
    "lifecycle_at",
    "parse_deprecation",
    "parse_links",
    "parse_sunset",
    "refresh_lifecycle",
    "serve_lifecycle",
]

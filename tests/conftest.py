"""Shared fixtures: API clients, and a start-up check that the requested servers answer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from versioning_app.testing import LifecycleSnapshot, serve_lifecycle

pytest_plugins = [
    "tests.support.browser",
    "tests.support.clock",
    "tests.support.example",
    "versioning_app.testing.pytest_plugin",
]


def pytest_configure(config: pytest.Config) -> None:
    """Fail the run, never fall back, when PostgreSQL or Redis was asked for and is down."""
    if settings.TEST_CACHE == "redis":
        import redis

        location = settings.CACHES["default"]["LOCATION"]
        try:
            redis.Redis.from_url(location, socket_connect_timeout=3).ping()
        except redis.RedisError as exc:
            raise pytest.UsageError(
                f"Redis was requested but {location} is unreachable: {exc}"
            ) from exc
    if settings.TEST_DB == "postgres":
        import psycopg

        db = settings.DATABASES["default"]
        try:
            psycopg.connect(
                host=db["HOST"],
                port=db["PORT"],
                user=db["USER"],
                dbname="postgres",
                connect_timeout=3,
            ).close()
        except psycopg.Error as exc:
            raise pytest.UsageError(f"PostgreSQL was requested but is unreachable: {exc}") from exc


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect (never pass) the tests that need PostgreSQL and Redis when they are not in use."""
    if settings.TEST_DB == "postgres" and settings.TEST_CACHE == "redis":
        return
    deselected = [item for item in items if item.get_closest_marker("shared_services")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if item not in deselected]


@pytest.fixture
def api() -> APIClient:
    """An anonymous API client."""
    return APIClient()


@pytest.fixture
def admin_api(admin_user: Any) -> APIClient:
    """An API client logged in as a superuser."""
    client = APIClient()
    client.force_authenticate(admin_user)
    return client


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    """Start every test with an empty cache (it may be a Redis shared by the whole run)."""
    from django.core.cache import cache

    cache.clear()


FRESH_DATABASE_LIFECYCLE = LifecycleSnapshot()  # every declared version stable


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Between tests too, serve the lifecycle of a fresh test database (see below).

    Before any fixture of the test: module and class scoped fixtures run here, and the flush
    after a transactional test (whose migrate signal ends every pin) must not reach them.
    """
    serve_lifecycle(FRESH_DATABASE_LIFECYCLE).enable()


@pytest.fixture(autouse=True)
def _fresh_lifecycle_snapshot() -> Iterator[None]:
    """Serve the lifecycle of a fresh test database: every declared version stable.

    That is what post_migrate leaves in the test database, so tests that do not touch the
    lifecycle need no database access for it. Pinned again here, after the test database was
    created (its migrate ends the pin above). A lifecycle save or delete in a test (through
    the ORM's signals) ends this pin, and the next request reloads from the database. Tests of
    the revalidation itself start from ``refresh_lifecycle()``.
    """
    with serve_lifecycle(FRESH_DATABASE_LIFECYCLE):
        yield


@pytest.fixture(autouse=True)
def _fresh_clients_view() -> None:
    """Start every test with no clients view and no noted labels (the next use reads the rows)."""
    from versioning_app.clients.labels import forget_noted
    from versioning_app.clients.snapshot import invalidate_local

    invalidate_local()
    forget_noted()


@pytest.fixture(autouse=True)
def _fresh_usage_counter() -> None:
    """Start every test without usage counts pending from an earlier test in this process."""
    from versioning_app.usage.buffer import counter

    counter.discard()


@pytest.fixture
def spec_lifecycle(db: Any) -> None:
    """Versions 0.9 to 3.0 in the lifecycle states of SPEC section 6, with fixed dates.

    0.9 retired; 1.0 and 1.1 deprecated (sunset 2099-05-21, successor 2.0, a migration guide);
    2.0 and 2.1 stable; 3.0 preview. See ``tests.support.factories.put_versions_in_spec_states``.
    """
    from tests.support.factories import put_versions_in_spec_states

    put_versions_in_spec_states()

"""The request path reads the lifecycle tables only at a revalidation (issue 19 item 4).

The lifecycle once kept a generation token in the Django cache, where usage slot keys could
evict it (the default local-memory cache holds 300 entries) and cost extra lifecycle queries.
Now each worker re-reads the rows (three queries) once per ``LIFECYCLE_REFRESH_SECONDS`` and
nothing in between, whatever fills the cache: these tests count the queries on a long mixed
run with usage counting on and the default local-memory cache.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.support.clock import Clock
from tests.support.factories import put_versions_in_spec_states
from tests.testapp.factories import BookFactory
from tests.testapp.models import Book
from versioning_app.conf import app_settings
from versioning_app.models import Brownout, EndpointDeprecation, VersionLifecycle
from versioning_app.testing import refresh_lifecycle
from versioning_app.usage.buffer import counter

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def default_local_memory_cache(settings: Any) -> Iterator[None]:
    """Django's default cache, a local-memory one of 300 entries, whatever the run uses.

    The PostgreSQL + Redis run shares one Redis with every other test: the usage counts of
    this module's long runs stay in a cache of their own, and go with it.
    """
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "test-lifecycle-queries",
        }
    }
    yield
    counter.discard()
    caches["default"].clear()


LIFECYCLE_TABLES = (
    VersionLifecycle._meta.db_table,
    EndpointDeprecation._meta.db_table,
    Brownout._meta.db_table,
)
REQUESTS = 2_000


@pytest.fixture
def spec_states(caplog: pytest.LogCaptureFixture) -> Iterator[Book]:
    """SPEC section 6's lifecycle in the rows, read afresh; a book to ask for."""
    caplog.set_level(logging.ERROR, logger="django.request")  # the 4xx answers are expected
    put_versions_in_spec_states()
    refresh_lifecycle()
    yield BookFactory()


def lifecycle_queries(captured: CaptureQueriesContext) -> list[str]:
    return [
        query["sql"]
        for query in captured.captured_queries
        if any(table in query["sql"] for table in LIFECYCLE_TABLES)
    ]


def isbn(number: int) -> str:
    """A valid ISBN-13 of its own for each ``number``: 979, never one BookFactory makes (978)."""
    digits = f"979{number:09d}"
    total = sum(int(digit) * (3 if position % 2 else 1) for position, digit in enumerate(digits))
    return digits + str((10 - total % 10) % 10)


def mixed_requests(book: Book) -> list[tuple[Callable[[APIClient, APIClient, int], object], int]]:
    """One round of what clients send, each with the status it answers."""
    pk = book.pk
    return [
        (lambda api, admin, index: api.get("/api/v3/books/"), 200),  # head (a preview)
        (lambda api, admin, index: api.get(f"/api/v2/books/{pk}/"), 200),  # newest stable
        (lambda api, admin, index: api.get("/api/v2/books/", HTTP_API_VERSION="2.0"), 200),
        (lambda api, admin, index: api.head(f"/api/v2/books/{pk}/", HTTP_API_VERSION="2.0"), 200),
        (lambda api, admin, index: api.get(f"/api/v1/books/{pk}/"), 200),  # deprecated 1.1
        (lambda api, admin, index: api.get("/api/v1/books/", HTTP_API_VERSION="1.0"), 200),
        (lambda api, admin, index: api.get(f"/api/v1/books/{pk}/similar/"), 200),
        (lambda api, admin, index: api.get("/api/v0/books/"), 410),  # retired 0.9
        (lambda api, admin, index: api.get("/api/v2/no-such-thing/"), 404),
        (lambda api, admin, index: api.get("/api/v7/books/"), 404),
        (lambda api, admin, index: api.get("/api/v2/books/", HTTP_API_VERSION="2.x"), 400),
        (lambda api, admin, index: api.get("/api/v2/books/", HTTP_API_VERSION="1.1"), 400),
        (lambda api, admin, index: api.get("/api/v2/books/", HTTP_API_VERSION="2.9"), 400),
        (lambda api, admin, index: api.options("/api/v2/books/"), 200),
        (
            lambda api, admin, index: admin.post(
                "/api/v2/books/",
                {
                    "title": "New",
                    "authors": [{"name": "A"}],
                    "publication_date": "2020-01-01",
                    "isbn": isbn(index),
                    "language": "en",
                },
                format="json",
            ),
            201,
        ),
        (
            lambda api, admin, index: admin.patch(
                f"/api/v2/books/{pk}/", {"title": "U"}, format="json"
            ),
            200,
        ),
    ]


def run(
    api: APIClient, admin: APIClient, book: Book, count: int, start: int = 0
) -> CaptureQueriesContext:
    """Send ``count`` mixed requests, as ``count`` distinct token clients; push usage often."""
    requests = mixed_requests(book)
    with CaptureQueriesContext(connection) as captured:
        for index in range(start, start + count):
            send, status = requests[index % len(requests)]
            api.force_authenticate(token=f"client-{index}")  # a usage key of its own
            response = send(api, admin, index)
            assert response.status_code == status, (index, response.content)  # type: ignore[attr-defined]
            if index % 50 == 49:
                # Into the cache now, not at the end of the slot: its keys pile up there.
                counter.push()
    return captured


def test_the_default_cache_is_the_small_local_memory_one() -> None:
    """The setting the issue measured: a local-memory cache of 300 entries, usage on."""
    default = caches["default"]
    assert isinstance(default, LocMemCache)
    assert default._max_entries == 300  # the default MAX_ENTRIES
    assert app_settings.USAGE_ENABLED


@pytest.mark.slow
def test_a_long_mixed_run_reads_the_lifecycle_tables_never(
    api: APIClient, admin_api: APIClient, clock: Clock, spec_states: Book
) -> None:
    run(api, admin_api, spec_states, 1)  # the first request reads the rows: the bound starts
    captured = run(api, admin_api, spec_states, REQUESTS, start=1)
    assert lifecycle_queries(captured) == []
    assert len(captured.captured_queries) > REQUESTS  # the requests did query the database
    # The usage slots filled the cache to its cull point all along.
    assert len(caches["default"]._cache) > 200  # type: ignore[attr-defined]


@pytest.mark.slow
def test_each_revalidation_is_three_queries_and_nothing_in_between(
    api: APIClient, admin_api: APIClient, clock: Clock, spec_states: Book
) -> None:
    for bound in range(6):
        clock.now += app_settings.LIFECYCLE_REFRESH_SECONDS + 0.1  # the bound has passed
        first = run(api, admin_api, spec_states, 1, start=bound * 300)
        assert len(lifecycle_queries(first)) == 3, (
            bound
        )  # versions, endpoint deprecations, brownouts
        clock.now += app_settings.LIFECYCLE_REFRESH_SECONDS - 0.2  # still inside the bound
        rest = run(api, admin_api, spec_states, 299, start=bound * 300 + 1)
        assert lifecycle_queries(rest) == [], bound

"""The app's cache calls under faults (issue 13 item 8): a Redis that refuses connections.

Schemas are served from the process and the failure logged; usage counts stay in the process
until the cache is back. A Redis killed, restarted and hung for real: test_faults_live.py.
"""

from __future__ import annotations

import logging
import time

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from versioning_app.docs.cache import clear_local
from versioning_app.usage.buffer import ANONYMOUS, Descriptor, counter
from versioning_app.usage.worker import worker

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: every call is refused at once, as with a Redis that is down.
REFUSED = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "down": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    },
}
VERSIONS = "tests.testapp.versions.VERSIONS"


@override_settings(CACHES=REFUSED, VERSIONING_APP={"VERSIONS": VERSIONS, "SCHEMA_CACHE": "down"})
@pytest.mark.parametrize("version", ["2.1", "1.0", "v2"])
def test_schemas_are_served_with_the_cache_down(
    api: APIClient, caplog: pytest.LogCaptureFixture, version: str
) -> None:
    clear_local()
    with caplog.at_level(logging.WARNING, logger="versioning_app.docs"):
        response = api.get(f"/api/schema/{version}/")  # before: 500 (ConnectionError)
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")
    assert "The schema cache 'down' failed" in caplog.text
    etag = response["ETag"]
    again = api.get(f"/api/schema/{version}/")  # from this process's map
    assert again.status_code == 200
    assert again["ETag"] == etag


@override_settings(
    CACHES=REFUSED,
    VERSIONING_APP={"VERSIONS": VERSIONS, "USAGE_CACHE_ALIAS": "down", "USAGE_FLUSH_INTERVAL": 0},
)
def test_usage_counts_stay_in_the_process_while_the_cache_is_down(api: APIClient) -> None:
    counter.count(Descriptor("2.1", "book-list", "GET", ANONYMOUS), now=time.time() - 3600)
    for _ in range(3):
        assert api.get("/api/v2/books/").status_code == 200
    assert counter.pending == 4  # the older count's push failed: all kept for the next one


@override_settings(
    CACHES=REFUSED,
    VERSIONING_APP={
        "VERSIONS": VERSIONS,
        "USAGE_CACHE_ALIAS": "down",
        "USAGE_FLUSH_INTERVAL": 600,
        "USAGE_FLUSH_GRACE_SECONDS": 1,  # a push every 0.25 s
    },
)
def test_the_usage_thread_warns_once_per_outage(caplog: pytest.LogCaptureFixture) -> None:
    for _ in range(3):
        counter.count(Descriptor("2.1", "book-list", "GET", ANONYMOUS))
    with caplog.at_level(logging.DEBUG, logger="versioning_app.usage"):
        assert worker.ensure_started()
        try:
            deadline = time.monotonic() + 10
            while caplog.text.count("Pushing API usage to the cache failed") < 3:
                assert time.monotonic() < deadline
                time.sleep(0.05)
        finally:
            worker.stop()
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert [r.getMessage() for r in warnings] == [
        "Pushing API usage to the cache failed; 3 requests kept in this process."
    ]
    assert counter.pending == 3

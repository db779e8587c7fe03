"""Fault injection against real servers (issue 13): a redis-server of the test's own that is
cut off, hung and made to evict, and a PostgreSQL behind a proxy that the test cuts.

Each test starts and stops what it breaks (tests/support/faults.py): a redis-server on a port
of 6390-6399 and a TCP proxy in front of the PostgreSQL of the run (``VERSIONING_APP_TEST_DB``
=postgres, for the gunicorn tests, which need a database that several processes share).
Figures, before the fixes of issue 13: a cache outage lost counts, a worker started with the
database down answered every versioned request with an HTML 500.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client, override_settings

from tests.support.faults import RedisServer, TcpProxy, free_port_in
from tests.support.gunicorn import free_port, running_gunicorn
from tests.support.usage_concurrency_settings import VERSIONING_APP as SERVER_USAGE
from tests.support.usage_support import counts, flush_closed
from versioning_app.docs.cache import clear_local
from versioning_app.usage.buffer import ANONYMOUS, Descriptor, counter

pytestmark = pytest.mark.live

OWN_PORTS = range(6390, 6400)


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[RedisServer]:
    """A redis-server of this test's own; always stopped."""
    # Not skipped without it: CI starts the machine's redis-server, and a developer is told.
    if RedisServer.BINARY is None:
        pytest.fail("needs redis-server on the PATH (apt-get install redis-server)")
    server = RedisServer(free_port_in(OWN_PORTS), tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def fetch(
    url: str, method: str = "GET", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body, whatever the status."""
    request = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def server_env(redis_url: str, **more: str) -> dict[str, str]:
    """gunicorn's environment: the run's test database, this test's Redis."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.support.usage_concurrency_settings",
        "VERSIONING_APP_TEST_DB": "postgres",
        "VERSIONING_APP_TEST_DB_NAME": connection.settings_dict["NAME"],
        "VERSIONING_APP_TEST_CACHE": "redis",
        "VERSIONING_APP_TEST_REDIS": redis_url,
        **more,
    }


def direct_cache(redis: RedisServer) -> dict[str, Any]:
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis.url,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }


@pytest.mark.shared_services
@pytest.mark.django_db(transaction=True)
def test_a_redis_outage_loses_no_usage_count(redis: RedisServer, tmp_path: Path) -> None:
    # The workers reach Redis through a proxy that is cut for a while (Redis keeps its data):
    # one-second slots, so that a failed push holds several slots.
    proxy = TcpProxy(free_port_in(range(redis.port + 1, 6400)), ("127.0.0.1", redis.port))
    proxy.up()
    env = server_env(f"redis://127.0.0.1:{proxy.port}/0", VERSIONING_APP_TEST_USAGE_INTERVAL="600")
    sent = 0
    try:
        with running_gunicorn(
            env, tmp_path / "gunicorn.log", ready_path="/admin/login/", start_seconds=30
        ) as (base, process):
            for phase in ("before", "outage", "after"):
                if phase == "outage":
                    proxy.down()
                elif phase == "after":
                    proxy.up()
                for _ in range(100):
                    status, _, _ = fetch(f"{base}/api/v2/books/")
                    assert status == 200
                    sent += 1
                    time.sleep(0.01)
                time.sleep(4)  # several pushes: failing during the outage, then through
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
    finally:
        proxy.down()
    with override_settings(CACHES=direct_cache(redis), VERSIONING_APP=SERVER_USAGE):
        flush_closed()
    counted = counts().get(("2.1", "book-list", "GET", ANONYMOUS), 0)
    assert counted == sent, f"lost {sent - counted} of {sent}"


@pytest.mark.shared_services
@pytest.mark.django_db(transaction=True)
def test_postgres_down_at_start_answers_problems_never_a_500(
    redis: RedisServer, tmp_path: Path
) -> None:
    db = connection.settings_dict
    proxy = TcpProxy(free_port(), (db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
    env = server_env(redis.url, PGPORT=str(proxy.port))  # the proxy is down: refused
    statuses: Counter[int] = Counter()
    try:
        with running_gunicorn(
            env, tmp_path / "gunicorn.log", ready_path="/api/v9/", start_seconds=30
        ) as (base, _process):
            cases = [
                ("GET", "/api/v2/books/", {}, 503),
                ("GET", "/api/v1/books/", {}, 503),
                ("GET", "/api/v2/books/", {"API-Version": "2.9"}, 400),
                ("GET", "/api/v2/nope/", {}, 404),
                ("POST", "/api/v0/nope/", {}, 404),
                ("GET", "/api/v9/books/", {}, 404),
                ("GET", "/api/schema/2.1/", {}, 503),
            ]
            for method, path, headers, expected in cases:
                status, answer, body = fetch(f"{base}{path}", method, headers)
                statuses[status] += 1
                assert status == expected, (path, status, body[:300])
                assert answer["Content-Type"] == "application/problem+json"
                if status == 503:
                    assert answer["Retry-After"] == "5"
                    assert json.loads(body)["type"].endswith("service-unavailable")
            proxy.up()  # the database is back: served again within the refresh bound
            deadline = time.monotonic() + 30
            while (status := fetch(f"{base}/api/v2/books/")[0]) != 200:
                statuses[status] += 1
                assert status == 503
                assert time.monotonic() < deadline
                time.sleep(0.5)
            proxy.down()  # and gone again under a running worker: its views' queries fail
            for _ in range(10):
                status, answer, _ = fetch(f"{base}/api/v2/books/")
                statuses[status] += 1
                assert status == 503, status
                assert answer["Content-Type"] == "application/problem+json"
    finally:
        proxy.down()
    assert statuses[500] == 0  # before: every versioned request of the first phase was a 500


@pytest.mark.django_db
def test_a_hung_redis_delays_a_schema_by_its_socket_timeout_only(
    redis: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    cache = direct_cache(redis)
    cache["default"]["OPTIONS"] = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    with override_settings(CACHES=cache):
        clear_local()
        redis.pause()
        try:
            with caplog.at_level(logging.WARNING, logger="versioning_app.docs"):
                response = Client().get("/api/schema/2.1/")  # before: 500 once the call failed
        finally:
            redis.resume()
    assert response.status_code == 200
    assert "The schema cache 'default' failed" in caplog.text


@pytest.mark.django_db
def test_eviction_of_the_usage_cache_is_reported_with_numbers(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    evicting = RedisServer(
        free_port_in(OWN_PORTS), tmp_path, "--maxmemory", "2mb", "--maxmemory-policy", "allkeys-lru"
    )
    evicting.start()
    try:
        with (
            override_settings(CACHES=direct_cache(evicting)),
            caplog.at_level(logging.WARNING, logger="versioning_app.usage"),
        ):
            flush_closed()  # the first look: the policy is said, the eviction count noted
            assert "evicts keys (maxmemory-policy allkeys-lru)" in caplog.text
            now = time.time()
            for n in range(500):
                counter.count(Descriptor("2.1", "book-list", "GET", f"client{n}"), now=now)
            counter.push(now=now)
            junk = "x" * 1024
            for start in range(0, 6000, 500):
                caches["default"].set_many({f"junk:{n}": junk for n in range(start, start + 500)})
            result = flush_closed()
    finally:
        evicting.stop()
    assert result.evicted and result.evicted > 0
    assert f"evicted {result.evicted} keys since the last flush" in caplog.text
    # What the flush could still see of the slot it says too (before: nothing, or "lost 0").
    assert sum(counts().values()) + result.lost <= 500

"""Usage under a real pre-forking server: gunicorn's workers push and flush on their own threads.

Like the concurrency test it needs a database and a cache that several processes share, so it
runs on PostgreSQL + Redis and is deselected, with that reason, elsewhere (see conftest.py).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings

from tests.support.gunicorn import running_gunicorn
from tests.support.usage_concurrency_settings import VERSIONING_APP as SERVER_USAGE
from tests.support.usage_support import counts, flush_closed
from versioning_app.models import UsageRecord
from versioning_app.usage.buffer import ANONYMOUS


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """gunicorn, two sync workers, usage worker threads flushing every second; always stopped."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.support.usage_concurrency_settings",
        "VERSIONING_APP_TEST_DB_NAME": connection.settings_dict["NAME"],
        "VERSIONING_APP_TEST_REDIS": settings.CACHES["default"]["LOCATION"],
        "VERSIONING_APP_TEST_USAGE_INTERVAL": "1",
    }
    # Ready on the admin login page: API requests would be counted.
    with running_gunicorn(
        env, tmp_path / "gunicorn.log", ready_path="/admin/login/", start_seconds=30
    ) as server:
        yield server


def _get(url: str, times: int) -> None:
    for _ in range(times):
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200


@pytest.mark.live
@pytest.mark.shared_services
@pytest.mark.django_db(transaction=True)
def test_gunicorn_workers_flush_on_their_own_and_push_on_exit(
    server: tuple[str, subprocess.Popen[bytes]],
) -> None:
    base, process = server
    _get(f"{base}/api/v2/books/", 40)
    deadline = time.monotonic() + 30  # the workers' threads flush: no flush from here
    while counts().get(("2.1", "book-list", "GET", ANONYMOUS)) != 40:
        assert time.monotonic() < deadline, counts()
        time.sleep(0.2)

    _get(f"{base}/api/v1/books/", 7)
    process.send_signal(signal.SIGTERM)  # a graceful stop pushes what the workers still hold
    process.wait(timeout=30)
    with override_settings(VERSIONING_APP=SERVER_USAGE):  # read the server's one-second slots
        flush_closed()
    assert counts() == {
        ("2.1", "book-list", "GET", ANONYMOUS): 40,
        ("1.1", "book-list", "GET", ANONYMOUS): 7,
    }
    assert UsageRecord.objects.filter(version="1.1").get().count == 7


def _worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


@pytest.mark.live
@pytest.mark.shared_services
@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_loses_at_most_a_few_seconds_of_counts(tmp_path: Path) -> None:
    # Hour-long slots (the open slot is never closed during the test) and the default grace:
    # the workers push their open slot every 2.5 s; the flush interval is far away.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.support.usage_concurrency_settings",
        "VERSIONING_APP_TEST_DB_NAME": connection.settings_dict["NAME"],
        "VERSIONING_APP_TEST_REDIS": settings.CACHES["default"]["LOCATION"],
        "VERSIONING_APP_TEST_USAGE_INTERVAL": "600",
        "VERSIONING_APP_TEST_USAGE_SLOT": "3600",
        "VERSIONING_APP_TEST_USAGE_GRACE": "10",
    }
    sent = 200
    with running_gunicorn(
        env, tmp_path / "gunicorn.log", ready_path="/admin/login/", start_seconds=30
    ) as (base, process):
        _get(f"{base}/api/v2/books/", sent)
        time.sleep(6)  # more than two push periods: everything counted has left the workers
        for pid in _worker_pids(process.pid):
            os.kill(pid, signal.SIGKILL)  # no atexit, no graceful push
    server_usage = {**SERVER_USAGE, "USAGE_SLOT_SECONDS": 3600, "USAGE_FLUSH_GRACE_SECONDS": 10}
    with override_settings(VERSIONING_APP=server_usage):
        flush_closed()
    counted = counts().get(("2.1", "book-list", "GET", ANONYMOUS), 0)
    # Before the open slot was pushed by the worker thread: 0 of 200 (all in the open slot).
    assert counted == sent, f"lost {sent - counted} of {sent}"

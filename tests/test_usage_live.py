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

"""Exactness under concurrency: several writer processes, several flushers, one shared buffer.

Only meaningful with a buffer and a database that several processes share, so it runs on
PostgreSQL + Redis (``VERSIONING_APP_TEST_DB=postgres VERSIONING_APP_TEST_CACHE=redis``) and
is deselected, with that reason, on SQLite + local memory (see ``conftest.py``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings

from tests.support.usage_concurrency_worker import COUNTED_AS, PLAN
from tests.support.usage_support import UserFactory, counts
from versioning_app.models import Client, Pin, PinChange, UsageFlush
from versioning_app.usage.buffer import ANONYMOUS, hash_client, usage_cache
from versioning_app.usage.flush import read_slots

WRITERS = 6
REQUESTS = 250  # per writer
FLUSHERS = 3  # flushing in a loop while the writers write; as many again at the end
ROOT = Path(__file__).resolve().parent.parent
SLOTS = {"USAGE_SLOT_SECONDS": 1, "USAGE_FLUSH_GRACE_SECONDS": 3, "USAGE_FLUSH_INTERVAL": 0}


def _spawn(*args: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.support.usage_concurrency_settings",
        # The children use the database this test runs in (pytest-django's test database).
        "VERSIONING_APP_TEST_DB_NAME": connection.settings_dict["NAME"],
        "VERSIONING_APP_TEST_REDIS": settings.CACHES["default"]["LOCATION"],
    }
    return subprocess.Popen(
        [sys.executable, "-m", "tests.support.usage_concurrency_worker", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def _wait(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        output, _ = process.communicate(timeout=300)
        assert process.returncode == 0, output.decode()


@pytest.mark.shared_services
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_and_flushers_count_every_request_exactly_once(
    tmp_path: Path,
) -> None:
    users = {name: UserFactory(username=name) for name in ("writer-a", "writer-b")}
    stop = tmp_path / "stop"
    flushers = [_spawn("flush-loop", str(stop)) for _ in range(FLUSHERS)]
    try:
        writers = [_spawn("write", str(REQUESTS), str(n * 3)) for n in range(WRITERS)]
        _wait(writers)
    finally:
        stop.touch()
        _wait(flushers)
    # Every slot closes, then several flushers race for the rest.
    time.sleep(SLOTS["USAGE_SLOT_SECONDS"] + SLOTS["USAGE_FLUSH_GRACE_SECONDS"] + 0.5)
    _wait([_spawn("flush-once") for _ in range(FLUSHERS)])

    expected: Counter[tuple[str, str, str, str]] = Counter()
    for writer in range(WRITERS):
        for index in range(writer * 3, writer * 3 + REQUESTS):
            _path, _headers, username = PLAN[index % len(PLAN)]
            client = hash_client("user", users[username].pk) if username else ANONYMOUS
            expected[(*COUNTED_AS[index % len(PLAN)], client)] += 1
    assert sum(expected.values()) == WRITERS * REQUESTS
    assert counts() == dict(expected)
    assert sum(UsageFlush.objects.values_list("requests", flat=True)) == WRITERS * REQUESTS
    assert UsageFlush.objects.count() > 2  # the slots really were flushed piecemeal
    with override_settings(VERSIONING_APP={**settings.VERSIONING_APP, **SLOTS}):
        assert read_slots(usage_cache(), time.time() + 3600, 1)[0] == []  # buffer empty
    # One client row each, labelled from a request, and each first pin made exactly once.
    clients = {key: label for key, label in Client.objects.values_list("key", "label")}
    assert clients == {hash_client("user", user.pk): name for name, user in users.items()}
    assert sorted(Pin.objects.values_list("client__label", "major", "version")) == [
        ("writer-a", 2, "2.1"),
        ("writer-b", 1, "1.1"),
        ("writer-b", 2, "2.1"),
    ]
    assert PinChange.objects.filter(kind=PinChange.Kind.CREATED).count() == 3

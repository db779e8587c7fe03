"""A lifecycle change reaches every worker process of a real server within the refresh bound.

gunicorn serves the test app with two sync workers on 127.0.0.1. The database and the
cache are the ones this run uses (PostgreSQL and Redis when selected), each in a fresh
instance: a new PostgreSQL database or an SQLite file, and a Redis key prefix or a file-based
cache directory, because an in-memory SQLite database or a local-memory cache cannot be shared
between processes. The change is made by another process still: ``manage.py api_lifecycle``,
which goes through the same rules as the admin.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from django.conf import settings

from tests.support.gunicorn import ROOT, running_gunicorn
from tests.support.linkheader import links_by_rel

POLL_SECONDS = 20  # the default refresh bound is 5 s

pytestmark = pytest.mark.live


@pytest.fixture
def live_settings(tmp_path: Path) -> Iterator[dict[str, object]]:
    """A fresh database and cache that every process of the test can share."""
    dropped: list[str] = []
    if settings.TEST_DB == "postgres":
        import psycopg

        db = dict(settings.DATABASES["default"])
        name = f"test_{db['NAME']}_live"
        admin = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"], "dbname": "postgres"}
        with psycopg.connect(**admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        dropped.append(name)
        database = {**db, "NAME": name, "TEST": {}}
    else:
        database = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "live.sqlite3")}
    if settings.TEST_CACHE == "redis":
        cache = {**settings.CACHES["default"], "KEY_PREFIX": f"live-{uuid.uuid4().hex}"}
    else:
        cache = {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    yield {"DATABASES": {"default": database}, "CACHES": {"default": cache}}
    for name in dropped:
        import psycopg

        with psycopg.connect(**admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def env(live_settings: dict[str, object]) -> dict[str, str]:
    """The environment of every process the test starts."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.support.live_settings",
        "VERSIONING_APP_LIVE_SETTINGS": json.dumps(live_settings),
        "PYTHONPATH": str(ROOT),
    }


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def server(env: dict[str, str], tmp_path: Path) -> Iterator[str]:
    """gunicorn with two sync workers on a free 127.0.0.1 port; always stopped."""
    manage(env, "migrate", "--noinput", "-v0")
    with running_gunicorn(
        env, tmp_path / "gunicorn.log", ready_path="/api/v2/books/", start_seconds=POLL_SECONDS
    ) as (base, _process):
        yield base


def fetch(url: str) -> tuple[int, dict[str, str]]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, {k.lower(): v for k, v in response.headers.items()}


def poll_workers(url: str, done: callable) -> dict[str, dict[str, str]]:
    """Request ``url`` in concurrent bursts until two workers both answered with ``done``."""
    seen: dict[str, dict[str, str]] = {}
    deadline = time.monotonic() + POLL_SECONDS
    with ThreadPoolExecutor(max_workers=6) as pool:
        while time.monotonic() < deadline:
            for status, headers in pool.map(lambda _: fetch(url), range(12)):
                assert status == 200
                if done(headers):
                    seen.setdefault(headers["x-worker-pid"], headers)
            if len(seen) >= 2:
                return seen
            time.sleep(0.05)
    raise AssertionError(
        f"within {POLL_SECONDS} s only workers {sorted(seen)} answered as expected"
    )


def test_a_lifecycle_change_reaches_both_workers(server: str, env: dict[str, str]) -> None:
    url = f"{server}/api/v1/books/"
    # Both workers have loaded (and now hold) a snapshot in which 1.1 is stable.
    before = poll_workers(url, lambda headers: "deprecation" not in headers)
    assert len(before) == 2

    out = manage(
        env, "api_lifecycle", "deprecate", "1.1", "--deprecated-at", "2026-01-01",
        "--sunset", "2031-01-01", "--successor", "2.0", "--link", "https://docs.example.com/v2",
    )  # fmt: skip
    assert "1.1 is now deprecated." in out

    after = poll_workers(url, lambda headers: "deprecation" in headers)
    assert set(after) == set(before)  # the very same two processes, no restart
    for headers in after.values():
        assert headers["deprecation"] == "@1767225600"
        assert parsedate_to_datetime(headers["sunset"]).year == 2031
        assert links_by_rel(headers["link"]) == {
            "deprecation": ["https://docs.example.com/v2"],
            "successor-version": ["/api/v2/books/"],
        }


BULK_DEPRECATE_11 = """
import datetime
from versioning_app.models import VersionLifecycle
utc = datetime.UTC
VersionLifecycle.objects.filter(version="1.1").update(
    status="deprecated",
    deprecated_at=datetime.datetime(2026, 1, 1, tzinfo=utc),
    sunset_at=datetime.datetime(2031, 1, 1, tzinfo=utc),
    successor=VersionLifecycle.objects.get(version="2.0"),
)
print("updated")
"""


def test_a_bulk_update_reaches_both_workers(server: str, env: dict[str, str]) -> None:
    url = f"{server}/api/v1/books/"
    before = poll_workers(url, lambda headers: "deprecation" not in headers)
    assert len(before) == 2

    # QuerySet.update() sends no model signal: the workers learn of it by revalidating alone.
    assert manage(env, "shell", "-v0", "-c", BULK_DEPRECATE_11).strip() == "updated"

    after = poll_workers(url, lambda headers: "deprecation" in headers)
    assert set(after) == set(before)  # the very same two processes, no restart
    for headers in after.values():
        assert headers["deprecation"] == "@1767225600"
        assert parsedate_to_datetime(headers["sunset"]).year == 2031
        assert links_by_rel(headers["link"]) == {"successor-version": ["/api/v2/books/"]}

"""A pin change reaches every worker process of a real server within the refresh bound.

gunicorn with two sync workers, pinning on; alice is pinned to 1.0; ``manage.py api_clients
upgrade`` (another process) moves her to 1.1, and both workers serve her 1.1 without a header.
"""

from __future__ import annotations

import base64
import json
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.support.gunicorn import running_gunicorn
from tests.test_live_workers import POLL_SECONDS, live_settings, manage  # noqa: F401

pytestmark = pytest.mark.live

SEED_ALICE = """
from django.contrib.auth.models import User
from django.utils import timezone
from versioning_app.clients.models import Client, Pin
from versioning_app.usage.buffer import hash_client
user = User.objects.create_user("alice", "alice@example.com", "alice")
now = timezone.now()
client = Client.objects.create(
    key=hash_client("user", user.pk), label="alice", first_seen=now, last_seen=now
)
Pin.objects.create(client=client, major=1, version="1.0", changed_at=now)
print("seeded")
"""
AUTH = "Basic " + base64.b64encode(b"alice:alice").decode()


@pytest.fixture
def env(live_settings: dict[str, object]) -> dict[str, str]:  # noqa: F811
    """The live environment, with pinning on."""
    import os

    from tests.support.gunicorn import ROOT

    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.support.live_settings",
        "VERSIONING_APP_LIVE_SETTINGS": json.dumps(
            {**live_settings, "VERSIONING_APP": {"CLIENTS_PINNING": True}}
        ),
        "PYTHONPATH": str(ROOT),
    }


@pytest.fixture
def server(env: dict[str, str], tmp_path: Path) -> Iterator[str]:
    """gunicorn with two sync workers, alice pinned to 1.0."""
    manage(env, "migrate", "--noinput", "-v0")
    assert manage(env, "shell", "-v0", "-c", SEED_ALICE).strip() == "seeded"
    with running_gunicorn(
        env, tmp_path / "gunicorn.log", ready_path="/api/v2/books/", start_seconds=POLL_SECONDS
    ) as (base, _process):
        yield base


def fetch(url: str) -> tuple[str, str]:
    request = urllib.request.Request(url, headers={"Authorization": AUTH})
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 200
        return response.headers["X-Worker-Pid"], response.headers["API-Version"]


def workers_serving(url: str, version: str) -> set[str]:
    """Poll in concurrent bursts until two workers both served alice ``version``."""
    seen: set[str] = set()
    deadline = time.monotonic() + POLL_SECONDS
    with ThreadPoolExecutor(max_workers=6) as pool:
        while time.monotonic() < deadline:
            for pid, served in pool.map(lambda _: fetch(url), range(12)):
                if served == version:
                    seen.add(pid)
            if len(seen) >= 2:
                return seen
            time.sleep(0.05)
    raise AssertionError(f"within {POLL_SECONDS} s only workers {sorted(seen)} served {version}")


def test_an_upgrade_reaches_both_workers(server: str, env: dict[str, str]) -> None:
    url = f"{server}/api/v1/books/"
    before = workers_serving(url, "1.0")  # both hold the pin
    assert "alice is now pinned to 1.1." in manage(env, "api_clients", "upgrade", "alice", "1.1")
    assert workers_serving(url, "1.1") == before  # the same two processes, no restart

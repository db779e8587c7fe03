"""A brownout starting and ending reaches every worker of a real server within the bound.

gunicorn with two sync workers, as in ``test_live_workers`` (whose fixtures this module uses);
the window is scheduled and then cut short by other processes (``manage.py``), so the workers
can learn of it only through their lifecycle snapshots.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.test_live_workers import (  # noqa: F401  (fixtures)
    POLL_SECONDS,
    env,
    live_settings,
    manage,
    server,
)

pytestmark = pytest.mark.live

Answer = tuple[int, dict[str, str], bytes]


def fetch_any(url: str) -> Answer:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, b""
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def poll_workers(url: str, done: Callable[[Answer], bool]) -> dict[str, Answer]:
    """Request ``url`` in bursts until two workers both answered as ``done`` wants."""
    seen: dict[str, Answer] = {}
    deadline = time.monotonic() + POLL_SECONDS
    with ThreadPoolExecutor(max_workers=6) as pool:
        while time.monotonic() < deadline:
            for answer in pool.map(lambda _: fetch_any(url), range(12)):
                if done(answer):
                    seen.setdefault(answer[1]["x-worker-pid"], answer)
            if len(seen) >= 2:
                return seen
            time.sleep(0.05)
    raise AssertionError(f"within {POLL_SECONDS} s only workers {sorted(seen)} answered")


def browned_out(answer: Answer) -> bool:
    status, _headers, body = answer
    return status == 410 and b"brownout" in body


def served(answer: Answer) -> bool:
    return answer[0] == 200


END_EARLY = """
from django.utils import timezone
from versioning_app.models import Brownout
print(Brownout.objects.update(ends_at=timezone.now()))
"""


def test_a_brownout_starts_and_ends_on_every_worker(server: str, env: dict[str, str]) -> None:  # noqa: F811
    url = f"{server}/api/v1/books/"
    manage(env, "api_lifecycle", "deprecate", "1.1", "--sunset", "2099-01-01", "--successor", "2.0")
    before = poll_workers(url, lambda answer: served(answer) and "deprecation" in answer[1])

    out = manage(env, "api_lifecycle", "brownout", "1.1", "--start", "now", "--minutes", "30")
    assert "Brownout of 1.1 scheduled" in out
    during = poll_workers(url, browned_out)
    assert set(during) == set(before)  # the same two processes, no restart
    for _status, headers, body in during.values():
        assert 1 <= int(headers["retry-after"]) <= 30 * 60
        assert 'rel="successor-version"' in headers["link"]
        assert json.loads(body)["successor"] == "2.0"

    # Cut short by a bulk update (no model signal reaches the workers): over within the bound.
    assert manage(env, "shell", "-v0", "-c", END_EARLY).strip() == "1"
    after = poll_workers(url, served)
    assert set(after) == set(before)

"""Usage under faults without servers: a failing cache, a failing client resolver, eviction.

The same faults against a real Redis that is killed and restarted are in test_faults_live.py.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.test import override_settings
from rest_framework.test import APIClient

from tests.support.usage_support import counts, flush_closed
from versioning_app.conf import app_settings
from versioning_app.usage.buffer import ANONYMOUS, Descriptor, counter, slot_prefix
from versioning_app.usage.recording import UNIDENTIFIED

pytestmark = pytest.mark.django_db

USAGE = {"VERSIONS": "tests.testapp.versions.VERSIONS", "USAGE_FLUSH_INTERVAL": 0}


class FlakyCache(LocMemCache):
    """A cache that fails the next ``failures`` counter increments, then works again."""

    failures = 0

    def incr(self, *args: Any, **kwargs: Any) -> int:
        """Fail while failures are left."""
        if FlakyCache.failures:
            FlakyCache.failures -= 1
            raise ConnectionError("cache down")
        return super().incr(*args, **kwargs)


FLAKY = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "flaky": {"BACKEND": "tests.test_usage_faults.FlakyCache", "LOCATION": "flaky"},
}


@override_settings(CACHES=FLAKY, VERSIONING_APP={**USAGE, "USAGE_CACHE_ALIAS": "flaky"})
def test_a_failed_push_keeps_every_slot_it_took() -> None:
    caches["flaky"].clear()
    now = time.time()
    descriptor = Descriptor("2.1", "book-list", "GET", ANONYMOUS)
    # 12 counts over four slots of the last few minutes; the first append fails.
    for minute in range(4):
        for _ in range(3):
            counter.count(descriptor, now=now - 60 * minute)
    FlakyCache.failures = 1
    with pytest.raises(ConnectionError):
        counter.push(now=now)
    assert counter.pending == 12  # before the fix: 3 (only the failed slot was put back)
    assert counter.push(now=now) == 12  # a later push delivers all of them
    flush_closed()
    assert counts() == {("2.1", "book-list", "GET", ANONYMOUS): 12}


def _pushed_slot(entries: int) -> str:
    """Push ``entries`` distinct clients' counts into one closed slot; its key prefix."""
    now = time.time() - 3600
    for n in range(entries):
        counter.count(Descriptor("2.1", "book-list", "GET", f"client{n}"), now=now)
    counter.push(now=time.time())
    slot_seconds = app_settings.USAGE_SLOT_SECONDS
    return slot_prefix(slot_seconds, int(time.time()) // slot_seconds)


@override_settings(VERSIONING_APP=USAGE)
@pytest.mark.parametrize(
    ("evicted", "lost", "message"),
    [
        ([":i:3", ":i:7"], 2, "lost 2 of 52 entries (cache eviction?); 50 requests kept"),
        # Before: "lost 0 of 52 entries", and nothing counted as lost.
        ([":id"], 52, "lost its id (cache eviction?): all 52 entries (52 requests read"),
        ([":n"], 0, "lost its entry counter (cache eviction?)"),
    ],
)
def test_every_loss_the_flush_can_see_is_logged_with_numbers(
    caplog: pytest.LogCaptureFixture, evicted: list[str], lost: int, message: str
) -> None:
    prefix = _pushed_slot(52)
    caches["default"].delete_many([f"{prefix}{suffix}" for suffix in evicted])
    with caplog.at_level(logging.WARNING, logger="versioning_app.usage"):
        result = flush_closed()
    assert message in caplog.text
    assert result.lost == lost
    assert sum(counts().values()) == 52 - lost if evicted != [":n"] else not counts()


def failing_resolver(request: Any) -> str:
    """What the default resolver met with the database down: a session that cannot load."""
    raise AttributeError("'SessionStore' object has no attribute '_session_cache'")


@override_settings(
    VERSIONING_APP={
        **USAGE,
        "USAGE_CLIENT_RESOLVER": "tests.test_usage_faults.failing_resolver",
    }
)
def test_a_client_that_cannot_be_identified_is_counted_as_unidentified(
    caplog: pytest.LogCaptureFixture,
) -> None:
    api = APIClient()
    with caplog.at_level(logging.WARNING, logger="versioning_app.usage"):
        for _ in range(5):
            assert api.get("/api/v2/books/").status_code == 200
    assert "Could not identify the client of an API request." in caplog.text
    assert counter.pending == 5  # before: 0, every request lost ("Could not count...")
    counter.push()
    flush_closed()
    assert counts() == {("2.1", "book-list", "GET", UNIDENTIFIED): 5}

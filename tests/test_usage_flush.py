"""Flushing: closed slots reach the database exactly once, whatever fails or runs twice."""

from __future__ import annotations

import datetime
import logging
import os
import time
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import override_settings

from tests.support.usage_support import UsageFlushFactory, UsageRecordFactory, counts, flush_closed
from versioning_app.conf import app_settings
from versioning_app.models import UsageFlush, UsageRecord
from versioning_app.usage.buffer import ANONYMOUS, Descriptor, counter, slot_prefix, usage_cache
from versioning_app.usage.flush import flush, read_slots
from versioning_app.usage.worker import UsageWorker

pytestmark = pytest.mark.django_db

LIST = Descriptor("2.1", "book-list", "GET", ANONYMOUS)
DETAIL = Descriptor("2.1", "book-detail", "GET", ANONYMOUS)
USAGE = {"VERSIONS": "tests.testapp.versions.VERSIONS", "USAGE_FLUSH_INTERVAL": 0}


def count_at(descriptor: Descriptor, when: float, times: int = 1) -> None:
    """Count ``times`` requests at ``when`` and push them as the process would then."""
    for _ in range(times):
        counter.count(descriptor, now=when)
    counter.push(now=when)


def test_a_flush_moves_counts_once_and_empties_the_buffer() -> None:
    now = time.time()
    count_at(LIST, now, 3)
    first = flush_closed()
    second = flush_closed()
    assert (first.slots, first.requests, first.rows) == (1, 3, 1)
    assert (second.slots, second.requests, second.skipped) == (0, 0, 0)
    assert counts() == {tuple(LIST): 3}
    assert read_slots(usage_cache(), now + 3600, 60)[0] == []
    assert UsageFlush.objects.get().requests == 3


def test_the_open_slot_waits_for_its_grace_period() -> None:
    slot_seconds = app_settings.USAGE_SLOT_SECONDS
    start = (int(time.time()) // slot_seconds) * slot_seconds
    count_at(LIST, start + 1)
    grace = app_settings.USAGE_FLUSH_GRACE_SECONDS
    assert flush(now=start + slot_seconds - 1).requests == 0  # still open
    assert flush(now=start + slot_seconds + grace - 1).requests == 0  # in its grace period
    assert flush(now=start + slot_seconds + grace).requests == 1


def test_a_crash_between_commit_and_cleanup_does_not_count_twice() -> None:
    count_at(LIST, time.time(), 2)
    cache = usage_cache()
    crash = mock.patch.object(cache, "delete_many", side_effect=RuntimeError("killed"))
    with crash, pytest.raises(RuntimeError):  # the process dies after the commit
        flush_closed()
    assert counts() == {tuple(LIST): 2}
    again = flush_closed()
    assert (again.slots, again.skipped, again.requests) == (0, 1, 0)
    assert counts() == {tuple(LIST): 2}
    assert read_slots(cache, time.time() + 3600, 60)[0] == []  # the leftovers are gone now


def test_a_slot_flushed_by_another_process_is_skipped() -> None:
    now = time.time()
    count_at(LIST, now, 4)
    (batch,), _ = read_slots(usage_cache(), now + 3600, app_settings.USAGE_SLOT_SECONDS)
    UsageFlushFactory(batch=batch.batch)  # the other flusher committed first
    result = flush_closed()
    assert (result.slots, result.skipped) == (0, 1)
    assert not UsageRecord.objects.exists()


def test_counts_add_up_per_day_and_last_seen_is_the_latest_slot() -> None:
    midnight = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC).timestamp()
    count_at(LIST, midnight - 30, 2)  # 23:59:30 on the 28th of February
    count_at(LIST, midnight + 30)  # 00:00:30 on the 1st of March
    count_at(LIST, midnight + 130)
    count_at(DETAIL, midnight + 10)
    flush(now=midnight + 3600)
    rows = {(r.day.isoformat(), r.route): r for r in UsageRecord.objects.all()}
    assert {key: row.count for key, row in rows.items()} == {
        ("2026-02-28", "book-list"): 2,
        ("2026-03-01", "book-list"): 2,
        ("2026-03-01", "book-detail"): 1,
    }
    assert rows["2026-03-01", "book-list"].last_seen.timestamp() == midnight + 120
    assert rows["2026-02-28", "book-list"].last_seen.timestamp() == midnight - 60


def test_later_flushes_add_to_existing_rows() -> None:
    midnight = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC).timestamp()
    count_at(LIST, midnight + 10, 2)
    flush(now=midnight + 600)
    count_at(LIST, midnight + 700, 3)
    flush(now=midnight + 1200)
    row = UsageRecord.objects.get()
    assert row.count == 5
    assert row.last_seen.timestamp() == midnight + 660


def test_a_lost_index_entry_is_logged_and_the_rest_flushed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    now = time.time()
    count_at(LIST, now, 2)
    count_at(DETAIL, now, 1)
    slot_seconds = app_settings.USAGE_SLOT_SECONDS
    usage_cache().delete(f"{slot_prefix(slot_seconds, int(now) // slot_seconds)}:i:2")  # evicted
    with caplog.at_level(logging.WARNING, logger="versioning_app.usage"):
        result = flush_closed()
    assert result.requests == 2
    assert counts() == {tuple(LIST): 2}
    assert "lost 1 of 2 entries" in caplog.text


def test_a_failing_push_keeps_the_counts_for_the_next_one() -> None:
    counter.count(LIST)
    counter.count(DETAIL)
    cache = usage_cache()
    failing = mock.patch.object(cache, "incr", side_effect=ConnectionError("down"))
    with failing, pytest.raises(ConnectionError):
        counter.push()
    assert counter.pending == 2
    assert counter.push() == 2
    flush_closed()
    assert counts() == {tuple(LIST): 1, tuple(DETAIL): 1}


@override_settings(VERSIONING_APP={**USAGE, "USAGE_RETENTION_DAYS": 30})
def test_old_rows_are_pruned_after_the_retention_period() -> None:
    today = datetime.datetime.now(datetime.UTC).date()
    UsageRecordFactory(day=today - datetime.timedelta(days=31))
    kept = UsageRecordFactory(day=today - datetime.timedelta(days=30))
    old_flush = UsageFlushFactory(slot_start=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))
    assert flush_closed().pruned == 1
    assert list(UsageRecord.objects.all()) == [kept]
    assert not UsageFlush.objects.filter(pk=old_flush.pk).exists()


def test_rows_are_kept_without_a_retention_period() -> None:
    UsageRecordFactory(day=datetime.date(2000, 1, 1))
    assert flush_closed().pruned == 0
    assert UsageRecord.objects.count() == 1


def _flushed() -> bool:
    # The test database is SQLite's shared-cache in-memory one, whose table locks fail a
    # reader at once (no busy wait) while the worker thread writes: poll again then.
    try:
        return UsageRecord.objects.exists()
    except OperationalError:
        return False


@pytest.mark.django_db(transaction=True)
@override_settings(
    VERSIONING_APP={
        **USAGE,
        "USAGE_SLOT_SECONDS": 1,
        "USAGE_FLUSH_GRACE_SECONDS": 1,
        "USAGE_FLUSH_INTERVAL": 0.5,
    }
)
def test_the_worker_thread_pushes_and_flushes_on_its_own(api: object) -> None:
    worker = UsageWorker()
    with mock.patch("versioning_app.usage.recording.worker", worker):
        assert api.get("/api/v2/books/").status_code == 200  # type: ignore[attr-defined]
        assert worker.running
        try:
            deadline = time.monotonic() + 30
            while not _flushed() and time.monotonic() < deadline:
                time.sleep(0.1)
        finally:
            worker.stop()
    assert not worker.running
    assert counts() == {tuple(LIST): 1}


def test_without_a_worker_the_first_request_of_a_slot_pushes_the_last(api: object) -> None:
    counter.count(DETAIL, now=time.time() - 3600)  # an earlier slot of this process
    worker = UsageWorker()
    with mock.patch("versioning_app.usage.recording.worker", worker):
        assert api.get("/api/v2/books/").status_code == 200  # type: ignore[attr-defined]
    assert not worker.running
    assert counter.pending == 1  # this request's slot is open: its count waits
    flush_closed()
    assert counts() == {tuple(DETAIL): 1, tuple(LIST): 1}


@override_settings(
    CACHES={
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "usage": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    },
    VERSIONING_APP={**USAGE, "USAGE_CACHE_ALIAS": "usage", "USAGE_FLUSH_INTERVAL": 60},
)
def test_at_exit_a_per_process_cache_takes_its_open_slot_along() -> None:
    counter.count(LIST)
    UsageWorker()._at_exit()
    assert counts() == {tuple(LIST): 1}


def test_at_exit_a_shared_buffer_only_receives_the_counts() -> None:
    counter.count(LIST)
    UsageWorker()._at_exit()  # interval 0: nothing flushed in the exiting process
    assert counter.pending == 0
    assert not UsageRecord.objects.exists()
    flush_closed()
    assert counts() == {tuple(LIST): 1}


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_starts_without_the_parents_counts() -> None:
    counter.count(LIST)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child reports its pending count and leaves without cleanup
        os.write(write, str(counter.pending).encode())
        os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    assert os.read(read, 16) == b"0"
    os.close(read)
    assert counter.pending == 1

"""The usage worker: one daemon thread per process that pushes counts and flushes slots."""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django.db import connections

from versioning_app.conf import app_settings
from versioning_app.usage.buffer import counter, usage_cache
from versioning_app.usage.flush import FlushResult, flush

logger = logging.getLogger("versioning_app.usage")


#: The longest time between two pushes of the worker thread (seconds).
MAX_PUSH_PERIOD = 5.0


def push_period() -> float:
    """Seconds between the worker's pushes: what a killed process can lose, at most."""
    interval = float(app_settings.USAGE_FLUSH_INTERVAL)
    # Well within the grace period too, so that a slot's counts are all in the cache before
    # anyone may flush it: 2.5 s with the defaults.
    grace = float(app_settings.USAGE_FLUSH_GRACE_SECONDS) / 4
    return max(0.25, min(interval, grace, MAX_PUSH_PERIOD))


class UsageWorker:
    """A daemon thread per process: pushes this process's counts to the cache every few
    seconds and flushes closed slots every ``USAGE_FLUSH_INTERVAL`` seconds.

    Started lazily by the first counted request (no thread in processes that serve no API
    traffic, such as management commands), and again in a forked child. With the interval at
    0 there is no thread: requests push at each new slot, and ``api_usage_flush`` flushes.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._pid: int | None = None
        self._atexit = False

    @property
    def running(self) -> bool:
        """Whether this process's worker thread is alive."""
        return self._thread is not None and self._thread.is_alive() and self._pid == os.getpid()

    def ensure_started(self) -> bool:
        """Start the thread if the interval asks for one; True if it runs in this process."""
        if not self._atexit:
            atexit.register(self._at_exit)
            self._atexit = True
        if not app_settings.USAGE_FLUSH_INTERVAL:
            return False
        with self._lock:
            if self.running:
                return True
            self._pid = os.getpid()
            self._stop = threading.Event()
            self._thread = threading.Thread(
                target=self._run, args=(self._stop,), name="versioning_app-usage", daemon=True
            )
            self._thread.start()
            return True

    def stop(self, timeout: float | None = 10.0) -> None:
        """Stop the thread and wait for it (a flush in progress completes)."""
        with self._lock:
            thread, self._thread, self._pid = self._thread, None, None
            self._stop.set()
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def after_fork(self) -> None:
        """In a forked child: the parent's thread does not exist here."""
        self._lock = threading.Lock()
        self._thread, self._pid, self._stop = None, None, threading.Event()

    def _run(self, stop: threading.Event) -> None:
        interval = float(app_settings.USAGE_FLUSH_INTERVAL)
        period = push_period()
        next_flush = time.monotonic() + interval
        failing = False
        while not stop.wait(period):
            try:
                if time.monotonic() >= next_flush:
                    next_flush = time.monotonic() + interval
                    self.flush_once()
                else:
                    # The open slot too: a killed process loses at most one period of counts,
                    # not a slot's worth. A cache write from this thread; no database.
                    counter.push()
                if failing:
                    failing = False
                    logger.warning("The usage cache answers again; the counts kept were pushed.")
            except Exception:  # the counts stay pending or in the cache for the next round
                # Once per outage, not every few seconds; the counts wait in this process.
                log = logger.debug if failing else logger.warning
                log(
                    "Pushing API usage to the cache failed; %d requests kept in this process.",
                    counter.pending,
                    exc_info=True,
                )
                failing = True
            finally:
                # This thread's database connections are its own; none may linger idle.
                connections.close_all()

    @staticmethod
    def flush_once(*, include_open: bool = False) -> FlushResult | None:
        """One flush; errors are logged, not raised (the counts stay for the next one)."""
        try:
            return flush(include_open=include_open)
        except Exception:
            logger.exception("Flushing API usage failed.")
            return None

    def _at_exit(self) -> None:
        self.stop()
        try:
            counter.push()
        except Exception:
            logger.exception("Pushing API usage to the cache at exit failed.")
            return
        # A per-process cache dies with the process: take its open slot to the database.
        if app_settings.USAGE_FLUSH_INTERVAL and isinstance(usage_cache(), LocMemCache):
            self.flush_once(include_open=True)


worker = UsageWorker()
os.register_at_fork(after_in_child=worker.after_fork)

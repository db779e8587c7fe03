"""``python -m benchmarks.usage_cost``: what usage counting adds to one request, in isolation.

The request/response harness (``python -m benchmarks``) compares whole requests, where machine
noise is larger than the counting itself; this measures
``versioning_app.usage.recording.record`` alone,
on a real head-version request, against that request's own time; then the same while another
thread pushes the open slot to the cache 50 times more often than the usage worker does (its
push takes the counter's lock: this shows what the request path pays for it).
"""

from __future__ import annotations

import os
import statistics
import sys
import threading
import time
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")


def main() -> int:
    """Print the microseconds of counting one request, and its share of the request."""
    import django

    django.setup()
    from django.test import Client

    from benchmarks.scenarios import prepare, stable_head
    from example_project.library.models import Book
    from versioning_app.settings_spec import SETTINGS
    from versioning_app.usage import buffer, recording

    prepare()
    stable_head()  # the head request, as the head pairs measure it
    client = Client()
    path = f"/api/v3/books/{Book.objects.order_by('pk').first().pk}/"
    request = client.get(path).wsgi_request
    calls = 20000
    record_us, request_us = [], []
    for _ in range(15):
        start = time.perf_counter_ns()
        for _ in range(calls):
            recording.record(request)
        record_us.append((time.perf_counter_ns() - start) / calls / 1000)
        start = time.perf_counter_ns()
        for _ in range(200):
            client.get(path)
        request_us.append((time.perf_counter_ns() - start) / 200 / 1000)
        buffer.counter.discard()
    counting, whole = statistics.median(record_us), statistics.median(request_us)
    print(f"usage.record: {counting:.2f} us per request; head 3.0 detail request: {whole:.1f} us")
    print(f"counting share of the request: {counting / whole * 100:.2f}%")
    # The worker's period with the default settings (2.5 s), 50 times over.
    default = SETTINGS["USAGE_FLUSH_GRACE_SECONDS"].default / 4
    pushing = _record_while_pushing(recording.record, request, calls, default / 50)
    print(
        f"usage.record while the open slot is pushed every {default / 50:.3f} s "
        f"(the worker: every {default:.1f} s): {pushing:.2f} us per request "
        f"({pushing / counting:.3f}x)"
    )
    return 0


def _record_while_pushing(record: Any, request: Any, calls: int, period: float) -> float:
    """Median microseconds of ``record`` while a thread pushes every ``period`` seconds."""
    from versioning_app.usage import buffer

    stop = threading.Event()

    def push() -> None:
        while not stop.wait(period):
            buffer.counter.push()

    thread = threading.Thread(target=push, daemon=True)
    thread.start()
    samples = []
    try:
        for _ in range(15):
            start = time.perf_counter_ns()
            for _ in range(calls):
                record(request)
            samples.append((time.perf_counter_ns() - start) / calls / 1000)
    finally:
        stop.set()
        thread.join()
        buffer.counter.discard()
    return statistics.median(samples)


if __name__ == "__main__":
    sys.exit(main())

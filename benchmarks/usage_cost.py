"""``python -m benchmarks.usage_cost``: what usage counting adds to one request, in isolation.

The request/response harness (``python -m benchmarks``) compares whole requests, where machine
noise is larger than the counting itself; this measures
``versioning_app.usage.recording.record`` alone,
on a real head-version request, against that request's own time.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")


def main() -> int:
    """Print the microseconds of counting one request, and its share of the request."""
    import django

    django.setup()
    from django.test import Client

    from benchmarks.scenarios import prepare, stable_head
    from example_project.library.models import Book
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
    return 0


if __name__ == "__main__":
    sys.exit(main())

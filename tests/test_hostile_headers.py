"""Nothing a client puts in the version header grows the process without a bound (issue 19 item 3).

Every well-formed ``A.B`` once created an interned version number that was never freed, also
when the answer was 400. Now every memory of the request path that a header reaches is capped:
the parsed numbers (an LRU), the served answers, the remembered decisions (only the version's
own spelling is kept).
"""

from __future__ import annotations

import gc
import logging
import tracemalloc
import weakref

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from versioning_app import versioning, versions
from versioning_app.conf import app_settings

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

#: What 20,000 distinct made-up headers may add, all caches full: well under 1 MB.
GROWTH_BOUND = 512 * 1024
#: Django's test client connects signal receivers on every request, and each connect leaves a
#: ``weakref.finalize`` behind for a module-level function (about 1 kB a request, for good):
#: the client's own growth, which no server has, is left out of the count.
NOT_THE_TEST_CLIENT = [
    tracemalloc.Filter(False, "*/django/dispatch/dispatcher.py"),
    tracemalloc.Filter(False, weakref.__file__),
]


def made_up_headers() -> list[str]:
    """20,000 distinct well-formed versions: unknown minors of major 2, and spellings of 2.x."""
    unknown = [f"2.{minor}" for minor in range(2, 10_000)]  # 9,998 values, each answers 400
    spellings = [f"2.1.{patch}" for patch in range(10_000)] + ["2.0.1", "2.0.2"]  # 200
    interleaved = [value for pair in zip(spellings, unknown, strict=False) for value in pair]
    return interleaved + spellings[len(unknown) :]


# Usage counting off: this is about what the version header reaches, and the run outlasts a
# usage slot, whose counts would otherwise be pushed into the cache the later tests share.
@override_settings(
    VERSIONING_APP={
        "VERSIONS": "tests.testapp.versions.VERSIONS",
        "USAGE_ENABLED": False,
        "USAGE_FLUSH_INTERVAL": 0,
    }
)
def test_twenty_thousand_made_up_versions_grow_memory_by_a_fixed_bound(
    api: APIClient, caplog: pytest.LogCaptureFixture
) -> None:
    # 10,000 "Bad Request" warnings would be kept by the test's own log capture.
    caplog.set_level(logging.ERROR, logger="django.request")
    headers = made_up_headers()
    assert len(set(headers)) == 20_000
    # Warm up: every code path once, and the caches that a normal client fills.
    for value in ("2.1", "2.0", "2.77", "2.1.5", "2.abc"):
        api.get("/api/v2/authors/", HTTP_API_VERSION=value)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot().filter_traces(NOT_THE_TEST_CLIENT)
        for value in headers:
            response = api.get("/api/v2/authors/", HTTP_API_VERSION=value)
            if value.count(".") == 1:
                assert response.status_code == 400, value
                assert response["Content-Type"] == "application/problem+json"
            else:
                assert response.status_code == 200, value
                assert response["API-Version"] == value[:3]
        gc.collect()
        after = tracemalloc.take_snapshot().filter_traces(NOT_THE_TEST_CLIENT)
    finally:
        tracemalloc.stop()
    growth = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    assert growth < GROWTH_BOUND, growth
    caches = app_settings.versions.caches
    assert len(caches.served) <= versions._MAX_SERVED
    assert len(caches.decisions) <= versioning.MAX_DECISIONS
    assert len(caches.announced) <= versioning.MAX_ANNOUNCED
    assert versions._parse.cache_info().currsize <= 256

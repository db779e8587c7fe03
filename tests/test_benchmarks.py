"""``make bench`` keeps working, and every pair's baseline is checked equal before timing.

The subprocess runs the real command with one round of one call: each pair's check (both sides
byte-identical bodies and equal query counts; the same operations for schema generation; the
lifecycle headers of the state measured) runs before its timing, and a mismatch exits non-zero.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path

from benchmarks.__main__ import exit_status
from benchmarks.equality import operations, same_operations, same_response
from benchmarks.pair import BaselineMismatch, Pair
from tests.testapp.factories import BookFactory
from tests.testapp.models import Book

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow

API_PAIRS = [
    "head 3.0: list of 50",
    "head 3.0: detail",
    "head 3.0: detail, pinned client",
    "1.1 stable: list of 50",
    "1.1 stable: detail",
    "1.1 deprecated: list of 50",
    "1.1 deprecated: detail",
    "3.0 preview: list of 50",
    "3.0 preview: detail",
]
REHEARSAL_PAIR = "head 3.0: detail, brownout and policies on other versions"
#: Versioned query parameters against plain DRF with the same filters (benchmarks/query_pairs.py).
QUERY_PAIRS = ["head 3.0: filtered, ordered list", "1.1 stable: filtered, ordered list"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(
        [sys.executable, "-m", "benchmarks", "--rounds", "1", "--calls", "1", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_every_pair_is_checked_equal_then_runs_and_reports_pass_or_fail() -> None:
    result = _run("--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    rows = report["pairs"]
    names = [row["name"] for row in rows]
    assert names == [
        *API_PAIRS,
        "schema 2.1: cold generation",
        "schema 2.1: cached fetch (vs plain detail)",
        REHEARSAL_PAIR,
        *QUERY_PAIRS,
    ]
    by_name = {row["name"]: row for row in rows}
    # Every like-for-like pair ran its equality check (the cached fetch is a yardstick).
    cold, cached = names[len(API_PAIRS)], names[len(API_PAIRS) + 1]
    like_for_like = [*API_PAIRS, cold, REHEARSAL_PAIR, *QUERY_PAIRS]
    assert all(by_name[name]["checked_equal"] for name in like_for_like)
    assert by_name[cached]["checked_equal"] is False
    for row in rows:
        assert row["baseline_us"] > 0 and row["candidate_us"] > 0
        assert row["ratio"] > 0
        assert row["passed"] in (True, False)
    assert {by_name[name]["target"] for name in API_PAIRS} == {1.03, 1.10}
    assert [by_name[name]["target"] for name in QUERY_PAIRS] == [1.03, 1.10]
    assert by_name["schema 2.1: cold generation"]["target"] == 1.10
    assert by_name[cached]["target_us"] == 2000
    assert report["load_before"]["cpus"] == os.cpu_count()
    assert len(report["load_after"]["loadavg"]) == 3


def test_the_table_prints_the_load_and_a_verdict_per_pair() -> None:
    result = _run("--only", "1.1 deprecated: detail")
    assert result.returncode == 0, result.stderr
    assert f"({os.cpu_count()} CPUs)" in result.stdout
    assert "load average" in result.stdout
    [line] = [row for row in result.stdout.splitlines() if row.startswith("1.1 deprecated")]
    assert line.endswith(("PASS", "FAIL"))


def test_strict_exits_1_on_any_fail_and_plain_runs_exit_0() -> None:
    # Whether a pair passes is a wall-clock matter, so the exit status is tested on verdicts.
    passed = {"passed": True}
    failed = {"passed": False}
    no_goal = {"passed": None}
    assert exit_status([passed, failed], strict=True) == 1
    assert exit_status([passed, failed], strict=False) == 0
    assert exit_status([passed, no_goal], strict=True) == 0


def test_pair_verdicts() -> None:
    pair = Pair("p", lambda: None, lambda: None, target=1.10)
    assert pair.passes(1.10, 5.0) is True
    assert pair.passes(1.101, 5.0) is False
    absolute = Pair("a", lambda: None, lambda: None, target_us=2000)
    assert absolute.passes(9.0, 1999.0) is True
    assert absolute.passes(0.1, 2001.0) is False
    assert Pair("n", lambda: None, lambda: None).passes(3.0, 1.0) is None


@pytest.mark.django_db
def test_a_pair_whose_sides_differ_in_bytes_fails_loudly() -> None:
    first, second = BookFactory(), BookFactory()
    client = Client()
    same_response(client, f"/api/v3/books/{first.pk}/", f"/api/v3/books/{first.pk}/")()
    with pytest.raises(BaselineMismatch, match="different bodies"):
        same_response(client, f"/api/v3/books/{first.pk}/", f"/api/v3/books/{second.pk}/")()


def _no_query(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b'{"same": true}', content_type="application/json")


def _one_query(request: HttpRequest) -> HttpResponse:
    Book.objects.exists()
    return HttpResponse(b'{"same": true}', content_type="application/json")


urlpatterns = [path("no-query/", _no_query), path("one-query/", _one_query)]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_pair_whose_sides_differ_in_queries_fails_loudly() -> None:
    client = Client()
    same_response(client, "/no-query/", "/no-query/")()
    with pytest.raises(BaselineMismatch, match="makes 0 queries, /one-query/ 1"):
        same_response(client, "/no-query/", "/one-query/")()


@pytest.mark.django_db
def test_a_pair_whose_candidate_lacks_the_lifecycle_headers_fails_loudly() -> None:
    book = BookFactory()
    path = f"/api/v3/books/{book.pk}/"
    with pytest.raises(BaselineMismatch, match="lacks Deprecation"):
        same_response(Client(), path, path, ("Deprecation",))()


def test_schema_documents_with_different_operations_fail_loudly() -> None:
    plain = {
        "paths": {
            "/plain/books/": {"get": {}, "post": {}},
            "/plain/books/{id}/similar/": {"get": {}},
        }
    }
    ours = {"paths": {"/api/v2/books/": {"get": {}, "post": {}, "parameters": []}}}
    assert operations(ours, "/api/v2/") == {("books/", "get"), ("books/", "post")}
    with pytest.raises(BaselineMismatch, match=re.escape("books/{id}/similar/")):
        same_operations(lambda: plain, lambda: ours, "/plain/", "/api/v2/")()

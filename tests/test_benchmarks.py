"""``make bench`` keeps working: one short round of every pair, through the real command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def test_every_pair_runs_and_reports_both_sides() -> None:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--rounds", "1", "--calls", "1", "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    names = [row["name"] for row in rows]
    assert names[:2] == ["head 3.0: list of 50", "head 3.0: detail"]
    assert len(names) == 6
    for row in rows:
        assert row["baseline_us"] > 0 and row["candidate_us"] > 0
        assert row["ratio"] > 0

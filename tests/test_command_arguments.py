"""The commands' shared argument handling: one-line errors, ``-v 0``, ``--api-version``,
ISO 8601 JSON, ``stabilize --released-at`` and progress on stderr."""

from __future__ import annotations

import datetime
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import django
import pytest
from django.core.management import CommandError, call_command

from tests.support.factories import VersionLifecycleFactory
from tests.support.usage_support import UsageRecordFactory
from versioning_app.models import Status, VersionLifecycle

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, **options: object) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def manage(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``django-admin`` with the tests' settings, as a shell would."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "django", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_a_malformed_date_is_one_line_without_traceback() -> None:
    result = manage("api_lifecycle", "deprecate", "1.0", "--sunset", "tomorrow")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "argument --sunset: 'tomorrow' is not a date" in result.stderr
    assert result.stderr.startswith("usage: ")


@pytest.mark.slow
def test_djangos_version_option_still_prints_djangos_version() -> None:
    result = manage("api_usage_report", "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == django.get_version()


def test_a_malformed_date_from_code_is_a_command_error() -> None:
    with pytest.raises(CommandError, match="'tomorrow' is not a date"):
        run("api_lifecycle", "deprecate", "1.0", "--sunset", "tomorrow")


def test_a_malformed_period_is_a_command_error() -> None:
    with pytest.raises(CommandError, match="'soon' is not a whole number of at least 1"):
        run("api_versions", "--days", "soon")


def test_stabilize_takes_the_release_date() -> None:
    VersionLifecycleFactory(version="3.0", status=Status.PREVIEW, released_at=None)
    out, _err = run("api_lifecycle", "stabilize", "3.0", "--released-at", "2026-12-01")
    assert out == "3.0 is now stable.\n"
    row = VersionLifecycle.objects.get(version="3.0")
    assert row.released_at == datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)


def test_released_at_only_applies_to_stabilize() -> None:
    with pytest.raises(CommandError, match="--released-at only apply to stabilize"):
        run("api_lifecycle", "retire", "1.0", "--released-at", "2026-12-01")


def test_verbosity_zero_leaves_only_the_data() -> None:
    VersionLifecycleFactory(version="3.0", status=Status.PREVIEW, released_at=None)
    assert run("api_lifecycle", "stabilize", "3.0", verbosity=0) == ("", "")
    assert run("api_usage_flush", verbosity=0) == ("", "")
    assert run("api_compat", verbosity=0) == ("", "")
    out, _err = run("api_versions", "--sync", verbosity=0)
    assert out.splitlines()[0].split()[:2] == ["version", "status"]
    assert "Usage: last" not in out and "Created:" not in out
    out, _err = run("api_usage_report", verbosity=0)
    assert out.splitlines()[0].split()[0] == "version"


def test_json_dates_are_iso_8601() -> None:
    UsageRecordFactory(version="1.0", client="user:a", count=5)
    out, _err = run("api_usage_report", "--format", "json")
    last_seen = {row["version"]: row["last_seen"] for row in json.loads(out)}["1.0"]
    assert datetime.datetime.fromisoformat(last_seen).tzinfo is not None
    assert "T" in last_seen
    out, _err = run("api_usage_report", "--api-version", "1.0", "--format", "json")
    (row,) = json.loads(out)
    assert "T" in row["last_seen"]


def test_compat_shows_progress_on_stderr_with_verbosity_two() -> None:
    out, err = run("api_compat", verbosity=2)
    assert "No breaking changes" in out
    assert err.splitlines() == [
        "Comparing (1/2): 1.0 -> 1.1",
        "Comparing (2/2): 2.0 -> 2.1",
    ]
    assert run("api_compat")[1] == ""  # stderr is no terminal here

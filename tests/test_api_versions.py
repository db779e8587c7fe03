"""``manage.py api_versions``: the table, ``--sync`` and ``--prune``."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from tests.factories import DeprecatedVersionFactory
from versioning_app.models import VersionLifecycle

pytestmark = pytest.mark.django_db


def run(*args: str) -> list[str]:
    out = StringIO()
    call_command("api_versions", *args, stdout=out)
    return out.getvalue().splitlines()


def test_table_lists_every_version_with_status_dates_and_successor() -> None:
    row = DeprecatedVersionFactory(version="1.0")
    lines = run()
    assert lines[0].split() == [
        "version",
        "status",
        "released",
        "deprecated",
        "sunset",
        "successor",
    ]
    cells = {line.split()[0]: line.split() for line in lines[1:]}
    assert list(cells) == ["0.9", "1.0", "1.1", "2.0", "2.1", "3.0"]
    assert cells["1.0"][1:] == [
        "deprecated",
        f"{row.released_at:%Y-%m-%d}",
        f"{row.deprecated_at:%Y-%m-%d}",
        f"{row.sunset_at:%Y-%m-%d}",
        "2.0",
    ]
    assert cells["2.1"][1] == "stable"
    assert cells["2.1"][3:] == ["-", "-", "-"]


def test_missing_and_stale_rows_are_shown_and_synced() -> None:
    VersionLifecycle.objects.filter(version="3.0").delete()
    VersionLifecycle(version="0.5").save()
    lines = run()
    assert any(line.startswith("3.0") and "(no row)" in line for line in lines)
    assert any(line.startswith("0.5") and "(not declared)" in line for line in lines)
    lines = run("--sync")
    assert lines[0] == "Created: 3.0; deleted: none."
    assert "No longer declared: 0.5" in lines[1]
    assert run("--sync", "--prune")[0] == "Created: none; deleted: 0.5."
    assert not VersionLifecycle.objects.filter(version="0.5").exists()

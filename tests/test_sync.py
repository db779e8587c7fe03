"""One lifecycle row per declared version: post_migrate and ``sync_versions``."""

from __future__ import annotations

import pytest
from django.test import override_settings

from versioning_app import Version, VersionBundle
from versioning_app.lifecycle.sync import out_of_sync, sync_after_migrate, sync_versions
from versioning_app.models import Status, VersionLifecycle

pytestmark = pytest.mark.django_db

SETTINGS = {"VERSIONS": "tests.testapp.versions.VERSIONS"}


def test_post_migrate_created_a_stable_row_per_version() -> None:
    assert out_of_sync() == ([], [])
    assert set(VersionLifecycle.objects.values_list("status", flat=True)) == {Status.STABLE}


def test_sync_creates_missing_rows_and_reports_stale_ones() -> None:
    VersionLifecycle.objects.filter(version="2.1").delete()
    VersionLifecycle(version="0.5").save()
    assert out_of_sync() == (["2.1"], ["0.5"])
    report = sync_versions()
    assert (report.created, report.stale, report.pruned) == (["2.1"], ["0.5"], [])
    assert VersionLifecycle.objects.filter(version="0.5").exists()
    report = sync_versions(prune=True)
    assert (report.created, report.stale, report.pruned) == ([], [], ["0.5"])
    assert out_of_sync() == ([], [])


@override_settings(VERSIONING_APP={**SETTINGS, "NEW_VERSION_STATUS": "preview"})
def test_new_rows_take_the_configured_status() -> None:
    VersionLifecycle.objects.filter(version="3.0").delete()
    sync_after_migrate(using="default")
    row = VersionLifecycle.objects.get(version="3.0")
    assert (row.status, row.released_at) == (Status.PREVIEW, None)


def test_sync_of_an_explicit_bundle() -> None:
    bundle = VersionBundle(Version("1.0"), Version("4.0"))
    assert out_of_sync(bundle) == (["4.0"], ["0.9", "1.1", "2.0", "2.1", "3.0"])

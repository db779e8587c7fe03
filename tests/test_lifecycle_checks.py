"""System checks of the lifecycle (one test per id: E040-E042, W040-W047).

E040-E042 are settings checks, declared in ``settings_spec`` and run by ``check_settings``.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.checks import run_checks
from django.test import override_settings
from django.utils import timezone

from tests.support.factories import EndpointDeprecationFactory
from versioning_app.checks import check_settings
from versioning_app.lifecycle.checks import check_lifecycle_rows
from versioning_app.models import VersionLifecycle

BASE = {"VERSIONS": "tests.testapp.versions.VERSIONS"}
SHARED = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": "/tmp/versioning-app-check",
    }
}


def ids(messages) -> list[str]:
    return [message.id for message in messages]


@override_settings(CACHES=SHARED)
def test_defaults_with_a_shared_cache_are_clean() -> None:
    assert check_settings() == []


@pytest.mark.parametrize("value", [-1, "5", None, True])
@override_settings(CACHES=SHARED)
def test_e040_refresh_seconds(value: object) -> None:
    with override_settings(VERSIONING_APP={**BASE, "LIFECYCLE_REFRESH_SECONDS": value}):
        assert ids(check_settings()) == ["versioning_app.E040"]


@override_settings(CACHES=SHARED, VERSIONING_APP={**BASE, "NEW_VERSION_STATUS": "deprecated"})
def test_e042_new_version_status() -> None:
    assert ids(check_settings()) == ["versioning_app.E042"]


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
def test_a_process_local_cache_is_no_lifecycle_concern() -> None:
    """Workers reread the lifecycle rows themselves: no cache has to be shared for that."""
    found = ids(run_checks(include_deployment_checks=True))
    assert not [found_id for found_id in found if found_id.startswith("versioning_app.W04")]


@pytest.mark.django_db
def test_rows_in_sync_are_clean() -> None:
    assert check_lifecycle_rows(databases=["default"]) == []
    assert check_lifecycle_rows(databases=None) == []  # only with --database


@pytest.mark.django_db
def test_w040_missing_rows() -> None:
    VersionLifecycle.objects.filter(version="2.1").delete()
    messages = check_lifecycle_rows(databases=["default"])
    assert ids(messages) == ["versioning_app.W040"]
    assert "2.1" in messages[0].msg


@pytest.mark.django_db
def test_w041_stale_rows() -> None:
    VersionLifecycle(version="0.1").save()
    messages = check_lifecycle_rows(databases=["default"])
    assert ids(messages) == ["versioning_app.W041"]
    assert "0.1" in messages[0].msg


@pytest.mark.django_db
def test_w043_endpoint_deprecation_of_an_unknown_route() -> None:
    EndpointDeprecationFactory(route="book-gone")
    messages = check_lifecycle_rows(databases=["default"])
    assert ids(messages) == ["versioning_app.W043"]
    assert "book-gone" in messages[0].msg


@pytest.mark.django_db
def test_w046_a_retired_version_no_longer_declared() -> None:
    """Retired versions stay declared: undeclared, their clients would get a bare 404."""
    VersionLifecycle(version="0.1", status="retired").save()
    VersionLifecycle(version="0.2").save()
    messages = check_lifecycle_rows(databases=["default"])
    assert ids(messages) == ["versioning_app.W046", "versioning_app.W041"]
    assert "0.1" in messages[0].msg and "410" in messages[0].msg
    assert "Keep retired versions in VERSIONS" in messages[0].hint
    assert "0.2" in messages[1].msg and "0.1" not in messages[1].msg  # not told to prune it


@pytest.mark.django_db
def test_w047_brownout_of_an_unknown_route() -> None:
    from versioning_app.models import Brownout

    row = VersionLifecycle.objects.get(version="1.0")
    Brownout.objects.create(
        version=row,
        starts_at=timezone.now(),
        ends_at=timezone.now() + datetime.timedelta(hours=1),
        route="book-gone",
    )
    messages = check_lifecycle_rows(databases=["default"])
    assert ids(messages) == ["versioning_app.W047"]
    assert "book-gone" in messages[0].msg


@pytest.mark.django_db
def test_the_database_check_runs_through_manage_py_check() -> None:
    from io import StringIO

    from django.core.management import call_command

    VersionLifecycle(version="0.1").save()
    err = StringIO()
    call_command("check", "--database", "default", stderr=err, stdout=StringIO())
    assert "versioning_app.W041" in err.getvalue()

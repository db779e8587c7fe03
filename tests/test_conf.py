"""The VERSIONING_APP settings: defaults, lazy reads, reloads, and loading the bundle."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from tests.support.declarations import METHOD_LEVEL
from tests.testapp.versions import VERSIONS
from versioning_app.conf import DEFAULTS, app_settings, load_versions


def test_defaults() -> None:
    with override_settings(VERSIONING_APP={}):
        assert app_settings.VERSION_HEADER == "API-Version"
        assert app_settings.PROBLEM_TYPE_BASE == "urn:versioning-app:problem:"
        assert app_settings.VERSIONS is None
        assert app_settings.LIFECYCLE_REFRESH_SECONDS == 5
        assert app_settings.CACHE_ALIAS == "default"
        assert app_settings.NEW_VERSION_STATUS == "stable"
    assert set(DEFAULTS) == {
        "VERSIONS",
        "VERSION_HEADER",
        "PROBLEM_TYPE_BASE",
        "LIFECYCLE_REFRESH_SECONDS",
        "CACHE_ALIAS",
        "NEW_VERSION_STATUS",
        "DOCS_PERMISSION_CLASSES",
        "SCHEMA_CACHE",
        "SCHEMA_CACHE_TIMEOUT",
        "USAGE_ENABLED",
        "USAGE_CACHE_ALIAS",
        "USAGE_CLIENT_RESOLVER",
        "USAGE_SLOT_SECONDS",
        "USAGE_FLUSH_GRACE_SECONDS",
        "USAGE_FLUSH_INTERVAL",
        "USAGE_RETENTION_DAYS",
    }


def test_override_settings_reloads() -> None:
    assert app_settings.versions is VERSIONS
    assert app_settings.VERSION_HEADER == "API-Version"  # now cached
    with override_settings(VERSIONING_APP={"VERSIONS": METHOD_LEVEL, "VERSION_HEADER": "X-V"}):
        assert app_settings.versions is METHOD_LEVEL
        assert app_settings.VERSION_HEADER == "X-V"
    assert app_settings.versions is VERSIONS
    assert app_settings.VERSION_HEADER == "API-Version"


def test_not_a_dict_reads_as_defaults() -> None:
    with override_settings(VERSIONING_APP=["VERSIONS"]):
        assert app_settings.VERSION_HEADER == "API-Version"


def test_unknown_attribute() -> None:
    with pytest.raises(AttributeError, match="Invalid VERSIONING_APP setting: 'VERSION'"):
        app_settings.VERSION  # noqa: B018


@pytest.mark.parametrize(
    ("value", "bundle"),
    [
        ("tests.testapp.versions.VERSIONS", VERSIONS),
        ("tests.support.declarations.METHOD_LEVEL", METHOD_LEVEL),
        (METHOD_LEVEL, METHOD_LEVEL),
    ],
)
def test_versions_as_path_or_bundle(value: object, bundle: object) -> None:
    assert load_versions(value) is bundle
    with override_settings(VERSIONING_APP={"VERSIONS": value}):
        assert app_settings.versions is bundle


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (None, ImproperlyConfigured, "must be the dotted path of your VersionBundle"),
        ("", ImproperlyConfigured, "must be the dotted path of your VersionBundle"),
        (3, ImproperlyConfigured, "must be the dotted path of your VersionBundle"),
        (
            "tests.support.declarations.NOT_A_BUNDLE",
            ImproperlyConfigured,
            "is a list, not a VersionBundle",
        ),
        ("tests.support.declarations.NOTHING", ImportError, "does not define"),
        ("no.such.module.VERSIONS", ImportError, "No module named"),
    ],
)
def test_bad_versions_setting(value: object, error: type[Exception], message: str) -> None:
    with override_settings(VERSIONING_APP={"VERSIONS": value}), pytest.raises(error, match=message):
        app_settings.versions  # noqa: B018

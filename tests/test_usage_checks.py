"""One test per usage system check id (E080-E087, W080-W082), and a clean default.

E080-E086 are settings checks, declared in ``settings_spec`` and run by ``check_settings``.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from versioning_app.checks import check_settings
from versioning_app.usage.checks import check_usage

BASE = {"VERSIONS": "tests.testapp.versions.VERSIONS"}
LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}


def ids(**usage: Any) -> list[str]:
    """The ids that the settings and usage checks report with these VERSIONING_APP keys."""
    with override_settings(VERSIONING_APP={**BASE, **usage}):
        return [message.id for message in check_settings() + check_usage()]


def ids_with_cache(backend: str, **usage: Any) -> list[str]:
    """The ids reported when the default cache uses ``backend``."""
    with override_settings(CACHES={"default": {"BACKEND": backend, "LOCATION": "/tmp/x"}}):
        return ids(**usage)


def test_the_defaults_are_clean() -> None:
    assert ids() == []


@pytest.mark.parametrize("value", ["yes", 1, None])
def test_e080_enabled_must_be_a_bool(value: object) -> None:
    assert ids(USAGE_ENABLED=value) == ["versioning_app.E080"]


def test_e081_the_cache_alias_must_exist() -> None:
    assert ids(USAGE_CACHE_ALIAS="usage") == ["versioning_app.E081"]


@pytest.mark.parametrize(
    "path", ["no.such.module.resolver", "versioning_app.usage.buffer.ANONYMOUS", "not-a-path"]
)
def test_e082_the_client_resolver_must_be_an_importable_callable(path: str) -> None:
    assert ids(USAGE_CLIENT_RESOLVER=path) == ["versioning_app.E082"]


@pytest.mark.parametrize("value", [0, 7, 100000, 60.0, True, "60"])
def test_e083_slot_seconds_must_divide_a_day(value: object) -> None:
    assert ids(USAGE_SLOT_SECONDS=value) == ["versioning_app.E083"]


@pytest.mark.parametrize("value", [0, -1, "10", None])
def test_e084_grace_must_be_positive(value: object) -> None:
    assert ids(USAGE_FLUSH_GRACE_SECONDS=value) == ["versioning_app.E084"]


@pytest.mark.parametrize("value", [-1, "60", None])
def test_e085_interval_must_be_a_non_negative_number(value: object) -> None:
    assert ids(USAGE_FLUSH_INTERVAL=value) == ["versioning_app.E085"]


@pytest.mark.parametrize("value", [0, -3, 30.5, "90"])
def test_e086_retention_must_be_none_or_positive_days(value: object) -> None:
    assert ids(USAGE_RETENTION_DAYS=value) == ["versioning_app.E086"]


def test_e087_a_dummy_cache_counts_nothing() -> None:
    assert ids_with_cache("django.core.cache.backends.dummy.DummyCache") == ["versioning_app.E087"]
    assert ids_with_cache("django.core.cache.backends.dummy.DummyCache", USAGE_ENABLED=False) == []


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.cache.backends.filebased.FileBasedCache",
        "django.core.cache.backends.db.DatabaseCache",
    ],
)
def test_w080_caches_without_atomic_increments(backend: str) -> None:
    assert ids_with_cache(backend) == ["versioning_app.W080"]


def test_w081_local_memory_without_a_background_flush() -> None:
    with override_settings(CACHES={"default": LOCMEM}):
        assert ids(USAGE_FLUSH_INTERVAL=0) == ["versioning_app.W081"]
        assert ids(USAGE_FLUSH_INTERVAL=60) == []


def test_w082_retention_shorter_than_the_reports() -> None:
    assert ids(USAGE_RETENTION_DAYS=7) == ["versioning_app.W082"]
    assert ids(USAGE_RETENTION_DAYS=30) == []

"""The VERSIONING_APP settings: the spec, lazy reads, derived values, reloads, the README table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from tests.support.declarations import METHOD_LEVEL
from tests.support.usage_support import header_client
from tests.testapp.versions import VERSIONS
from versioning_app.conf import AppSettings, app_settings, load_versions
from versioning_app.docs import cache as schema_cache
from versioning_app.settings_spec import SETTINGS, settings_table
from versioning_app.usage.recording import default_client

README = Path(__file__).resolve().parent.parent / "README.md"


def test_defaults() -> None:
    with override_settings(VERSIONING_APP={}):
        assert app_settings.VERSION_HEADER == "API-Version"
        assert app_settings.PROBLEM_TYPE_BASE == "urn:versioning-app:problem:"
        assert app_settings.VERSIONS is None
        assert app_settings.LIFECYCLE_REFRESH_SECONDS == 5
        assert app_settings.NEW_VERSION_STATUS == "stable"
        assert app_settings.LINK_BASE_URL is None
        assert app_settings.JSON_MAX_DEPTH == 32
    assert set(SETTINGS) == {
        "VERSIONS",
        "VERSION_HEADER",
        "PROBLEM_TYPE_BASE",
        "LINK_BASE_URL",
        "JSON_MAX_DEPTH",
        "LIFECYCLE_REFRESH_SECONDS",
        "NEW_VERSION_STATUS",
        "DOCS_PERMISSION_CLASSES",
        "SCHEMA_CACHE",
        "SCHEMA_CACHE_TIMEOUT",
        "SCHEMA_EXPORT_DIR",
        "USAGE_ENABLED",
        "USAGE_CACHE_ALIAS",
        "USAGE_CLIENT_RESOLVER",
        "USAGE_SLOT_SECONDS",
        "USAGE_FLUSH_GRACE_SECONDS",
        "USAGE_FLUSH_INTERVAL",
        "USAGE_RETENTION_DAYS",
        "CLIENTS_PINNING",
        "CLIENTS_ROLLBACK_HOURS",
        "CLIENTS_STORE_LABELS",
        "CLIENTS_LABEL",
        "CLIENTS_REPORT_DAYS",
        "HISTORY_USER",
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


def test_every_default_is_accepted_by_its_own_check() -> None:
    # VERSIONS has no usable default: the project must name its bundle (E001).
    assert {name for name, spec in SETTINGS.items() if spec.problem(spec.default)} == {"VERSIONS"}


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "LIFECYCLE_REFRESH_SECONDS",
            True,
            "VERSIONING_APP['LIFECYCLE_REFRESH_SECONDS'] must be a number >= 0, not True.",
        ),
        (
            "LINK_BASE_URL",
            "https://api.example.com/v1/",
            "VERSIONING_APP['LINK_BASE_URL'] must be an http(s) URL with a host and no path, "
            "or None, not 'https://api.example.com/v1/'.",
        ),
        (
            "SCHEMA_CACHE",
            "docs",
            "VERSIONING_APP['SCHEMA_CACHE'] must be a cache alias in CACHES, not 'docs' "
            "(CACHES has: default).",
        ),
        (
            "USAGE_CLIENT_RESOLVER",
            "versioning_app.usage.buffer.ANONYMOUS",
            "VERSIONING_APP['USAGE_CLIENT_RESOLVER'] must be the dotted path of a function, "
            "not 'versioning_app.usage.buffer.ANONYMOUS' (not callable).",
        ),
    ],
)
def test_a_wrong_value_is_named_with_what_the_setting_accepts(
    name: str, value: object, message: str
) -> None:
    with override_settings(CACHES={"default": {}}):
        assert SETTINGS[name].problem(value) == message


def test_derived_values_follow_the_settings() -> None:
    assert app_settings.version_header_meta_key == "HTTP_API_VERSION"
    assert app_settings.usage_client_resolver is default_client
    changed = {
        "VERSIONS": METHOD_LEVEL,
        "VERSION_HEADER": "X-Api-Pin",
        "USAGE_CLIENT_RESOLVER": "tests.support.usage_support.header_client",
    }
    with override_settings(VERSIONING_APP=changed):
        assert app_settings.version_header_meta_key == "HTTP_X_API_PIN"
        assert app_settings.usage_client_resolver is header_client
        assert app_settings.versions is METHOD_LEVEL
    assert app_settings.version_header_meta_key == "HTTP_API_VERSION"
    assert app_settings.usage_client_resolver is default_client
    assert app_settings.versions is VERSIONS


def test_reload_runs_each_registered_callback_once() -> None:
    own = AppSettings()
    calls: list[str] = []

    def forget() -> None:
        calls.append("forget")

    assert own.on_reload(forget) is forget
    own.on_reload(forget)
    own.reload()
    assert calls == ["forget"]


@pytest.mark.parametrize(
    "changed",
    [
        {"SPECTACULAR_SETTINGS": {"TITLE": "Other"}},
        {"REST_FRAMEWORK": {"PAGE_SIZE": 3}},
        {"ROOT_URLCONF": "tests.support.urlconfs.method_level"},
        {"VERSIONING_APP": {"VERSIONS": "tests.testapp.versions.VERSIONS"}},
    ],
)
def test_one_receiver_resets_the_schema_fingerprint_too(changed: dict) -> None:
    schema_cache.code_fingerprint()
    assert schema_cache.code_fingerprint.cache_info().currsize == 1
    with override_settings(**changed):
        assert schema_cache.code_fingerprint.cache_info().currsize == 0


def test_other_settings_keep_what_was_read() -> None:
    schema_cache.code_fingerprint()
    with override_settings(USE_TZ=False):
        assert schema_cache.code_fingerprint.cache_info().currsize == 1


def test_readme_settings_table_is_generated_from_the_spec() -> None:
    # Regenerate with `python -m versioning_app.settings_spec` after changing a setting.
    found = re.search(
        r"<!-- settings-table:start -->\n(.*?)<!-- settings-table:end -->",
        README.read_text(),
        re.DOTALL,
    )
    assert found, "README.md has no settings-table markers"
    assert found.group(1) == settings_table()
    assert [f"`{name}`" in settings_table() for name in SETTINGS] == [True] * len(SETTINGS)

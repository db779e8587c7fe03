"""One test per system check id, ids unique across the package, the test app clean."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.checks import run_checks
from django.core.management import call_command
from django.test import override_settings
from django.urls import get_resolver

import versioning_app
from tests import settings as test_settings
from versioning_app import checks
from versioning_app.clients import checks as clients_checks
from versioning_app.docs import checks as checks_docs
from versioning_app.query import checks as query_checks
from versioning_app.usage import checks as usage_checks

PACKAGE = Path(versioning_app.__file__).resolve().parent
ID_RE = re.compile(r"""\b(?:check_)?id=["'](versioning_app\.[EW]\d{3})["']""")

EXAMPLE_VERSIONS = "tests.testapp.versions.VERSIONS"
DRF = {
    "DEFAULT_VERSIONING_CLASS": "versioning_app.versioning.APIVersioning",
    "EXCEPTION_HANDLER": "versioning_app.errors.exception_handler",
}
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "versioning_app.middleware.VersioningMiddleware",
]


def versions(value: object, **more: object) -> dict[str, dict]:
    return {"VERSIONING_APP": {"VERSIONS": value, **more}}


# check id -> the settings that provoke it
PROVOKED = {
    "versioning_app.E001": versions(None),
    "versioning_app.E002": versions("tests.support.declarations.MALFORMED"),
    "versioning_app.E003": versions("tests.support.declarations.DUPLICATED"),
    "versioning_app.E004": versions("tests.support.declarations.UNORDERED"),
    "versioning_app.E005": versions("tests.support.declarations.FIRST_WITH_CHANGES"),
    "versioning_app.E006": {
        "REST_FRAMEWORK": {
            **DRF,
            "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.NamespaceVersioning",
        }
    },
    "versioning_app.E007": versions("tests.support.declarations.MISSING_MAJOR"),
    "versioning_app.E008": versions("tests.support.declarations.FEWER_MAJORS"),
    "versioning_app.E009": versions(EXAMPLE_VERSIONS, VERSION_HEADER="API Version"),
    "versioning_app.E010": versions(EXAMPLE_VERSIONS, PROBLEM_TYPE_BASE=None),
    "versioning_app.E011": versions(EXAMPLE_VERSIONS, VERSION="2.0"),
    "versioning_app.E012": versions("tests.support.declarations.UNKNOWN_ROUTE"),
    "versioning_app.E013": versions("tests.support.declarations.EMPTY"),
    "versioning_app.E014": {"VERSIONING_APP": [("VERSIONS", EXAMPLE_VERSIONS)]},
    "versioning_app.E015": versions(EXAMPLE_VERSIONS, JSON_MAX_DEPTH=0),
    "versioning_app.W012": {
        "REST_FRAMEWORK": {**DRF, "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"]}
    },
    "versioning_app.W013": {
        "CACHES": {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            "redis": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": "redis://127.0.0.1:1/0",
                "OPTIONS": {"socket_timeout": 0.5},
            },
        },
        **versions(EXAMPLE_VERSIONS, SCHEMA_CACHE="redis"),
    },
    "versioning_app.E019": versions(EXAMPLE_VERSIONS, LINK_BASE_URL="https://api.example.com/v1"),
    "versioning_app.E020": versions("tests.support.declarations.UNKNOWN_SERIALIZER"),
    "versioning_app.E021": versions("tests.support.declarations.UNKNOWN_FIELD"),
    "versioning_app.E022": versions("tests.support.declarations.REMOVED_WITHOUT_DEFINITION"),
    "versioning_app.E023": versions("tests.support.declarations.CONFLICTING"),
    "versioning_app.E024": versions("tests.support.declarations.NAME_TAKEN"),
    "versioning_app.E025": versions("tests.support.declarations.WITHOUT_MIXIN"),
    "versioning_app.E026": versions("tests.support.declarations.ENUM_WITHOUT_CHOICES"),
    "versioning_app.E027": versions("tests.support.declarations.METHOD_FIELD_WRITABLE"),
    "versioning_app.E028": versions("tests.support.declarations.UNKNOWN_QUERY_PARAM"),
    "versioning_app.E029": versions("tests.support.declarations.QUERY_RENAME_COLLIDES"),
    "versioning_app.W010": versions("tests.support.declarations.ENDPOINT_DISAGREEMENT"),
    "versioning_app.W011": {
        "ROOT_URLCONF": "tests.support.urlconfs.method_level",
        **versions("tests.support.declarations.METHOD_LEVEL"),
        "REST_FRAMEWORK": DRF,
    },
    "versioning_app.W020": versions("tests.support.declarations.NOT_INSPECTABLE"),
    "versioning_app.E040": versions(EXAMPLE_VERSIONS, LIFECYCLE_REFRESH_SECONDS=-1),
    "versioning_app.E120": versions(EXAMPLE_VERSIONS, HISTORY_USER=42),
    "versioning_app.E042": versions(EXAMPLE_VERSIONS, NEW_VERSION_STATUS="retired"),
    "versioning_app.W001": {"MIDDLEWARE": MIDDLEWARE[:-1]},
    "versioning_app.W002": {"REST_FRAMEWORK": {**DRF, "EXCEPTION_HANDLER": None}},
    "versioning_app.E060": versions(EXAMPLE_VERSIONS, DOCS_PERMISSION_CLASSES="AllowAny"),
    "versioning_app.E061": versions(EXAMPLE_VERSIONS, SCHEMA_CACHE="nope"),
    "versioning_app.E062": versions(EXAMPLE_VERSIONS, SCHEMA_CACHE_TIMEOUT=0),
    "versioning_app.E063": {"REST_FRAMEWORK": {**DRF, "DEFAULT_SCHEMA_CLASS": None}},
    "versioning_app.W060": versions("tests.support.breaking_versions.VERSIONS"),
    "versioning_app.W061": {
        "INSTALLED_APPS": [
            app for app in test_settings.INSTALLED_APPS if app != "drf_spectacular_sidecar"
        ]
    },
    "versioning_app.W062": {"REST_FRAMEWORK": {**DRF, "DEFAULT_SCHEMA_CLASS": None}},
    "versioning_app.W065": versions("tests.support.breaking_versions.VERSIONS"),
    "versioning_app.W066": {"ROOT_URLCONF": "tests.support.urlconfs.spectacular_view"},
    "versioning_app.W067": {"SPECTACULAR_SETTINGS": {"REDOC_UI_SETTINGS": "{not json"}},
    # Usage tracking (edge cases of each in test_usage_checks.py).
    "versioning_app.E080": versions(EXAMPLE_VERSIONS, USAGE_ENABLED="yes"),
    "versioning_app.E081": versions(EXAMPLE_VERSIONS, USAGE_CACHE_ALIAS="usage"),
    "versioning_app.E082": versions(EXAMPLE_VERSIONS, USAGE_CLIENT_RESOLVER="no.such.path"),
    "versioning_app.E083": versions(EXAMPLE_VERSIONS, USAGE_SLOT_SECONDS=7),
    "versioning_app.E084": versions(EXAMPLE_VERSIONS, USAGE_FLUSH_GRACE_SECONDS=0),
    "versioning_app.E085": versions(EXAMPLE_VERSIONS, USAGE_FLUSH_INTERVAL=-1),
    "versioning_app.E086": versions(EXAMPLE_VERSIONS, USAGE_RETENTION_DAYS=0),
    "versioning_app.E087": {
        "CACHES": {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    },
    "versioning_app.W080": {
        "CACHES": {
            "default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": "/tmp/versioning-app-w080",
            }
        }
    },
    "versioning_app.W081": {
        **versions(EXAMPLE_VERSIONS, USAGE_FLUSH_INTERVAL=0),
        "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        "SILENCED_SYSTEM_CHECKS": [],
    },
    "versioning_app.W082": versions(EXAMPLE_VERSIONS, USAGE_RETENTION_DAYS=7),
    # Clients and pins.
    "versioning_app.E100": versions(EXAMPLE_VERSIONS, CLIENTS_PINNING="on"),
    "versioning_app.E101": versions(EXAMPLE_VERSIONS, CLIENTS_ROLLBACK_HOURS=0),
    "versioning_app.E102": versions(EXAMPLE_VERSIONS, CLIENTS_STORE_LABELS=1),
    "versioning_app.E103": versions(EXAMPLE_VERSIONS, CLIENTS_LABEL="no.such.path"),
    "versioning_app.E104": versions(EXAMPLE_VERSIONS, CLIENTS_REPORT_DAYS=0.5),
    "versioning_app.W100": versions(EXAMPLE_VERSIONS, CLIENTS_PINNING=True, USAGE_ENABLED=False),
}


def our_messages() -> list:
    """Every message of our checks (called directly), less those the settings silence."""
    silenced = set(django_settings.SILENCED_SYSTEM_CHECKS)
    messages = [
        *checks.check_settings(),
        *checks.check_drf_wiring(),
        *checks.check_urls(),
        *checks.check_changes(),
        *checks.check_endpoint_changes(),
        *checks.check_cache_timeouts(),
        *checks_docs.check_schema_wiring(),
        *checks_docs.check_minor_compatibility(),
        *checks_docs.check_changelog_descriptions(),
        *checks_docs.check_spectacular_views(),
        *checks_docs.check_ui_settings(),
        *usage_checks.check_usage(),
        *clients_checks.check_clients(),
        *query_checks.check_query_changes(),
    ]
    return [message for message in messages if message.id not in silenced]


# Provoked by database rows, or only under `check --deploy`: see tests/test_lifecycle_checks.py.
PROVOKED_ELSEWHERE = {
    # tests/test_schema_export.py: the export directory, its manifest and its freshness.
    "versioning_app.E070",
    "versioning_app.E071",
    "versioning_app.W070",
    "versioning_app.W071",
    "versioning_app.W040",
    "versioning_app.W041",
    "versioning_app.W043",
    "versioning_app.W046",
    "versioning_app.W047",
}


@pytest.mark.parametrize(("check_id", "settings"), PROVOKED.items(), ids=list(PROVOKED))
def test_check(check_id: str, settings: dict) -> None:
    # The URLconf builds its namespaces from the bundle when first imported; load it with good
    # settings, as a running project has (a fresh process with a broken bundle fails on that
    # import with the same message before the checks run).
    get_resolver().url_patterns  # noqa: B018
    with override_settings(**settings):
        messages = our_messages()
        # The compatibility check (W060, W062) generates schemas: it is a deploy check.
        assert check_id in {message.id for message in run_checks(include_deployment_checks=True)}
    matching = [message for message in messages if message.id == check_id]
    assert matching, [message.id for message in messages]
    assert all(message.msg and message.hint for message in matching)
    level = "W" if check_id.split(".")[1].startswith("W") else "E"
    assert all(message.is_serious() == (level == "E") for message in matching)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("API-Version", None),
        ("X_Api_Version", None),
        ("", "E009"),
        ("API-Version\r\n", "E009"),
        (7, "E009"),
    ],
)
def test_version_header_names(value: object, fragment: str | None) -> None:
    with override_settings(**versions(EXAMPLE_VERSIONS, VERSION_HEADER=value)):
        ids = {message.id for message in checks.check_settings()}
    assert ids == (set() if fragment is None else {f"versioning_app.{fragment}"})


def test_unknown_keys_are_named() -> None:
    with override_settings(**versions(EXAMPLE_VERSIONS, VERSION="2.0", HEADER="x")):
        (message,) = checks.check_settings()
    assert message.msg == "Unknown VERSIONING_APP keys: HEADER, VERSION."
    assert "VERSION_HEADER" in message.hint


def test_one_error_per_unknown_route() -> None:
    with override_settings(**versions("tests.support.declarations.UNKNOWN_ROUTE")):
        messages = checks.check_urls()
    assert [(m.id, "no-such-route" in m.msg) for m in messages] == [("versioning_app.E012", True)]


def _ids_in_source() -> Counter[str]:
    found: Counter[str] = Counter()
    for module in sorted(PACKAGE.glob("**/*.py")):
        found.update(ID_RE.findall(module.read_text()))
    return found


def test_check_ids_are_unique() -> None:
    found = _ids_in_source()
    assert found, "the scan found no check ids"
    assert [check_id for check_id, count in found.items() if count != 1] == []


def test_every_check_id_is_tested() -> None:
    assert set(_ids_in_source()) == set(PROVOKED) | PROVOKED_ELSEWHERE


def test_the_test_app_passes_all_checks() -> None:
    assert our_messages() == []
    assert [m for m in run_checks(include_deployment_checks=False) if not m.is_silenced()] == []
    call_command("check", "--fail-level", "WARNING")


@override_settings(
    ROOT_URLCONF="tests.support.urlconfs.method_level",
    **versions("tests.support.declarations.METHOD_LEVEL"),
)
def test_method_level_urlconf_passes_all_checks() -> None:
    # Removing DELETE in the minor 2.1 is well-formed, and also a breaking minor: the
    # compatibility guard (W060) says so, which is right; every other check stays quiet.
    # Its endpoint changes have no descriptions (W065 asks for them): not what this test is about.
    messages = [m for m in our_messages() if m.id != "versioning_app.W065"]
    assert [message.id for message in messages] == ["versioning_app.W060"]
    assert "DELETE /api/v2/books/{id}/ removed" in messages[0].msg


def test_method_level_changes_where_the_whole_route_is_absent_are_named() -> None:
    # author-list arrives whole in 2.1: its POST "added" in 1.1 and its GET in 2.0 would be
    # served alone there; book-similar's GET removed where the whole route is removed too.
    with override_settings(**versions("tests.support.declarations.ENDPOINT_DISAGREEMENT")):
        messages = checks.check_endpoint_changes()
    assert [(m.id, m.msg.split(" but ")[0]) for m in messages] == [
        ("versioning_app.W010", "Version 1.1 declares EndpointAdded('author-list', 'POST')"),
        ("versioning_app.W010", "Version 2.0 declares EndpointAdded('author-list', 'GET')"),
        ("versioning_app.W010", "Version 3.0 declares EndpointRemoved('book-similar', 'GET')"),
    ]
    assert "(EndpointAdded('author-list') in 2.1)" in messages[0].msg


@pytest.mark.slow
@pytest.mark.parametrize(
    ("declaration", "check_id"),
    [("UNORDERED", "versioning_app.E004"), ("DUPLICATED", "versioning_app.E003")],
)
def test_manage_py_check_reports_a_broken_declaration_by_id(declaration: str, check_id: str):
    # In a fresh process Django imports the URLconf (which calls versioned_urls) before our
    # checks run: the declaration error must reach the check, not crash the import.
    code = (
        "import sys, django; from django.conf import settings; django.setup(); "
        f"settings.VERSIONING_APP = {{'VERSIONS': 'tests.support.declarations.{declaration}'}}; "
        "from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"},
        cwd=Path(__file__).resolve().parent.parent,
        timeout=60,
    )
    assert result.returncode == 1
    assert check_id in result.stderr
    assert "HINT" in result.stderr
    assert "Traceback" not in result.stderr

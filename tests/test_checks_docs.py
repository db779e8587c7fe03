"""System checks of the docs side: one test per check id.

E060-E062 are settings checks, declared in ``settings_spec`` and run by ``check_settings``.
"""

from __future__ import annotations

import pytest
from django.test import override_settings

from versioning_app.checks import check_settings
from versioning_app.docs.checks import check_minor_compatibility, check_schema_wiring

VERSIONS = "tests.testapp.versions.VERSIONS"


def ids(messages: list) -> list[str]:
    """The ids of a check's messages."""
    return [message.id for message in messages]


def test_defaults_pass() -> None:
    """The test settings are a correct configuration."""
    assert check_settings() == []
    assert check_schema_wiring() == []


@pytest.mark.parametrize(
    "value", ["rest_framework.permissions.AllowAny", ["no.such.Permission"], ["datetime.date"]]
)
def test_e060_docs_permission_classes(value: object) -> None:
    """Not a list, not importable, or not a permission class."""
    with override_settings(VERSIONING_APP={"VERSIONS": VERSIONS, "DOCS_PERMISSION_CLASSES": value}):
        assert ids(check_settings()) == ["versioning_app.E060"]


def test_e060_accepts_permission_classes() -> None:
    """Dotted paths of permission classes are fine."""
    value = ["rest_framework.permissions.IsAdminUser"]
    with override_settings(VERSIONING_APP={"VERSIONS": VERSIONS, "DOCS_PERMISSION_CLASSES": value}):
        assert check_settings() == []


def test_e061_schema_cache_alias() -> None:
    """``SCHEMA_CACHE`` must name a configured cache."""
    with override_settings(VERSIONING_APP={"VERSIONS": VERSIONS, "SCHEMA_CACHE": "nope"}):
        assert ids(check_settings()) == ["versioning_app.E061"]


@pytest.mark.parametrize("value", [0, -5, "60", True])
def test_e062_schema_cache_timeout(value: object) -> None:
    """``SCHEMA_CACHE_TIMEOUT`` is a positive number or None."""
    with override_settings(VERSIONING_APP={"VERSIONS": VERSIONS, "SCHEMA_CACHE_TIMEOUT": value}):
        assert ids(check_settings()) == ["versioning_app.E062"]


def test_e063_schema_class_must_be_drf_spectacular() -> None:
    """DRF's own AutoSchema cannot generate the documents."""
    from django.conf import settings

    rest = {**settings.REST_FRAMEWORK, "DEFAULT_SCHEMA_CLASS": "rest_framework.schemas.AutoSchema"}
    with override_settings(REST_FRAMEWORK=rest):
        assert ids(check_schema_wiring()) == ["versioning_app.E063"]


def test_w061_sidecar_not_installed() -> None:
    """Without drf-spectacular-sidecar the docs pages have no Swagger UI or Redoc."""
    from django.conf import settings

    apps = [app for app in settings.INSTALLED_APPS if app != "drf_spectacular_sidecar"]
    with override_settings(INSTALLED_APPS=apps):
        assert ids(check_schema_wiring()) == ["versioning_app.W061"]


def test_w060_breaking_minor() -> None:
    """The deploy check warns on each breaking change of a minor."""
    assert check_minor_compatibility() == []
    with override_settings(VERSIONING_APP={"VERSIONS": "tests.support.breaking_versions.VERSIONS"}):
        messages = check_minor_compatibility()
    assert ids(messages) == ["versioning_app.W060"]
    assert messages[0].msg == "2.1 breaks 2.0: endpoint DELETE /api/v2/authors/{id}/ removed"


def test_w062_compatibility_cannot_be_checked() -> None:
    """A schema that cannot be generated is reported, not raised."""
    from django.conf import settings

    rest = {**settings.REST_FRAMEWORK, "DEFAULT_SCHEMA_CLASS": "rest_framework.schemas.AutoSchema"}
    with override_settings(REST_FRAMEWORK=rest):
        assert ids(check_minor_compatibility()) == ["versioning_app.W062"]


def test_w060_runs_only_with_deploy() -> None:
    """Generating schemas at every ``runserver`` would be slow: the check is a deploy check."""
    from django.core.checks import registry

    assert check_minor_compatibility in registry.registry.get_checks(include_deployment_checks=True)
    assert check_minor_compatibility not in registry.registry.get_checks()

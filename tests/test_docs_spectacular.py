"""The docs pages follow SPECTACULAR_SETTINGS; a project's own SpectacularAPIView is warned of."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client, override_settings

from versioning_app.docs import checks as docs_checks

pytestmark = pytest.mark.django_db


def config_of(page: str) -> dict:
    match = re.search(
        r'<script id="versioning-app-docs-config" type="application/json">(.*?)</script>', page
    )
    assert match is not None
    return json.loads(match.group(1))


def test_defaults_use_the_sidecar_and_name_the_page_api(client: Client) -> None:
    page = client.get("/api/docs/2.1/").content.decode()
    assert "<title>API 2.1</title>" in page
    assert 'src="/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"' in page
    assert 'href="/static/drf_spectacular_sidecar/swagger-ui-dist/favicon-32x32.png"' in page
    assert "cdn.jsdelivr.net" not in page
    assert config_of(page)["uiSettings"] == {"deepLinking": True}  # drf-spectacular's default
    redoc = client.get("/api/redoc/2.1/").content.decode()
    assert 'src="/static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"' in redoc
    assert config_of(redoc)["uiSettings"] == {}


@override_settings(
    SPECTACULAR_SETTINGS={
        "TITLE": "Library API",
        "SWAGGER_UI_SETTINGS": {"docExpansion": "none", "deepLinking": False},
        "REDOC_UI_SETTINGS": '{"hideDownloadButton": true}',
        "SWAGGER_UI_FAVICON_HREF": "/static/library/favicon.png",
        "SWAGGER_UI_DIST": "https://assets.example.test/swagger-ui/",
        "REDOC_DIST": "SIDECAR",
    }
)
def test_the_project_settings_reach_the_pages(client: Client) -> None:
    page = client.get("/api/docs/2.1/").content.decode()
    assert "<title>Library API 2.1</title>" in page
    assert 'href="/static/library/favicon.png"' in page
    assert 'src="https://assets.example.test/swagger-ui/swagger-ui-bundle.js"' in page
    assert 'href="https://assets.example.test/swagger-ui/swagger-ui.css"' in page
    assert config_of(page)["uiSettings"] == {"docExpansion": "none", "deepLinking": False}
    # The page's own options still name its version's schema.
    assert config_of(page)["schemaUrl"] == "/api/schema/2.1/"
    redoc = client.get("/api/redoc/2.1/").content.decode()
    assert "<title>Library API 2.1</title>" in redoc
    assert 'src="/static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"' in redoc
    assert config_of(redoc)["uiSettings"] == {"hideDownloadButton": True}
    assert docs_checks.check_ui_settings() == []


@pytest.mark.parametrize(
    ("app_setting", "status"),
    [(None, 403), (["rest_framework.permissions.AllowAny"], 200)],
)
def test_serve_permissions_apply_unless_the_app_setting_is_set(
    client: Client, app_setting: list[str] | None, status: int
) -> None:
    with override_settings(
        SPECTACULAR_SETTINGS={"SERVE_PERMISSIONS": ["rest_framework.permissions.IsAdminUser"]},
        VERSIONING_APP={
            "VERSIONS": "tests.testapp.versions.VERSIONS",
            "DOCS_PERMISSION_CLASSES": app_setting,
        },
    ):
        for url in ("/api/docs/", "/api/redoc/", "/api/schema/2.1/", "/api/changelog/"):
            assert client.get(url).status_code == status, url


def test_without_serve_permissions_the_docs_follow_the_api(client: Client) -> None:
    # The tests' DRF default is IsAuthenticatedOrReadOnly: anyone may read.
    assert client.get("/api/docs/").status_code == 200


@override_settings(ROOT_URLCONF="tests.support.urlconfs.spectacular_view")
def test_a_spectacular_view_without_a_version_is_warned_of(client: Client) -> None:
    # What W066 is about: drf-spectacular's own view at an unversioned URL documents nothing.
    unversioned = client.get("/spectacular/", {"format": "json"})
    assert unversioned.status_code == 200
    assert unversioned.json()["paths"] == {}
    versioned = client.get("/spectacular/2.1/", {"format": "json"})
    assert "/api/v2/books/" in versioned.json()["paths"]
    (message,) = docs_checks.check_spectacular_views()
    assert message.id == "versioning_app.W066"
    assert message.obj == "spectacular/"
    assert "api_version='2.1'" in message.hint


def test_the_test_project_has_no_unversioned_spectacular_view() -> None:
    assert docs_checks.check_spectacular_views() == []

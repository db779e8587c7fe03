"""The docs URLs: schema index, per-version schema, Swagger UI, Redoc, permissions."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import override_settings
from openapi_spec_validator import validate
from rest_framework.test import APIClient

from versioning_app.docs.views import switcher_label

pytestmark = pytest.mark.django_db

_ASSET_RE = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


def test_index_lists_every_version_with_urls(api: APIClient) -> None:
    """``/api/schema/`` lists versions oldest first with status, dates and URLs."""
    response = api.get("/api/schema/")
    assert response.status_code == 200
    body = response.json()
    assert [entry["version"] for entry in body["versions"]] == [
        "0.9",
        "1.0",
        "1.1",
        "2.0",
        "2.1",
        "3.0",
    ]
    entry = next(e for e in body["versions"] if e["version"] == "2.1")
    assert entry["schema_url"] == "/api/schema/2.1/"
    assert entry["docs_url"] == "/api/docs/2.1/"
    assert entry["redoc_url"] == "/api/redoc/2.1/"
    assert {"status", "released_at", "deprecated_at", "sunset_at", "successor"} <= set(entry)
    assert body["default"] in [e["version"] for e in body["versions"]]
    assert body["changelog_url"] == "/api/changelog/"
    assert body["upgrade_report_url"] == "/api/clients/me/upgrade-report/"


@pytest.mark.parametrize(("token", "version"), [("2.1", "2.1"), ("2.0.0", "2.0"), ("v2", "2.1")])
def test_schema_of_one_version(api: APIClient, token: str, version: str) -> None:
    """``/api/schema/<version>/`` serves a valid OpenAPI document of that version."""
    response = api.get(f"/api/schema/{token}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oai.openapi+json"
    schema = json.loads(response.content)
    assert schema["info"]["version"] == version
    validate(schema)


def test_schema_answers_304_to_a_current_etag(api: APIClient) -> None:
    """A client holding the current document gets 304 and no body."""
    etag = api.get("/api/schema/2.1/")["ETag"]
    response = api.get("/api/schema/2.1/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""


@pytest.mark.parametrize("token", ["9.9", "v9", "vx", "2", "x" * 40, "2.1%0d%0aX:1", "ü"])
def test_unknown_or_malformed_version_is_a_404_problem(api: APIClient, token: str) -> None:
    """Unknown, malformed or hostile tokens: 404 problem+json, token never echoed."""
    response = api.get(f"/api/schema/{token}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 404
    assert "2.1" in problem["available_versions"]
    assert token not in problem["detail"]
    for page in ("docs", "redoc"):
        assert api.get(f"/api/{page}/{token}/").status_code == 404


@pytest.mark.parametrize("url", ["/api/docs/", "/api/docs/1.1/", "/api/redoc/", "/api/redoc/v2/"])
def test_pages_load_nothing_from_another_host(api: APIClient, url: str) -> None:
    """Every script, style and link the docs pages reference is served by this site."""
    response = api.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assets = _ASSET_RE.findall(html)
    assert any("drf_spectacular_sidecar/" in asset for asset in assets)
    for asset in assets:
        assert asset.startswith("/") and not asset.startswith("//"), asset
    assert "http://" not in html and "https://" not in html


def test_swagger_page_has_the_switcher_with_status_labels(api: APIClient) -> None:
    """The switcher lists every version, newest first, with its status; the page's is selected."""
    html = api.get("/api/docs/1.1/").content.decode()
    options = re.findall(r"<option [^>]*data-version=\"([^\"]+)\"[^>]*>([^<]+)</option>", html)
    assert [version for version, _ in options] == ["3.0", "2.1", "2.0", "1.1", "1.0", "0.9"]
    assert all("(" in label for _, label in options)
    assert re.search(r'data-version="1.1"[^>]*selected', html)
    assert '"schemaUrl": "/api/schema/1.1/"' in html
    assert "swagger-ui-bundle.js" in html


def test_redoc_page(api: APIClient) -> None:
    """Redoc loads the sidecar bundle and the chosen version's schema."""
    html = api.get("/api/redoc/2.0/").content.decode()
    assert "redoc.standalone.js" in html
    assert '"schemaUrl": "/api/schema/2.0/"' in html


def test_default_page_opens_the_default_version(api: APIClient) -> None:
    """``/api/docs/`` shows the index's default version."""
    default = api.get("/api/schema/").json()["default"]
    html = api.get("/api/docs/").content.decode()
    assert f'"schemaUrl": "/api/schema/{default}/"' in html


@pytest.mark.parametrize("version", ["1.0", "2.1"])
def test_swagger_page_tells_try_it_out_which_version_to_ask_for(
    api: APIClient, version: str
) -> None:
    """The page's config names the version header and the page's version, for docs.js."""
    html = api.get(f"/api/docs/{version}/").content.decode()
    found = re.search(
        r'<script id="versioning-app-docs-config" type="application/json">(.*?)</script>', html
    )
    assert found is not None
    config = json.loads(found.group(1))
    assert config["versionHeader"] == "API-Version"
    assert config["version"] == version


def test_docs_script_disables_the_remote_validator() -> None:
    """Swagger UI would send the schema to validator.swagger.io unless told not to."""
    from django.contrib.staticfiles import finders

    path = finders.find("versioning_app/docs.js")
    assert path is not None
    with open(path, encoding="utf-8") as script:
        assert "validatorUrl: null" in script.read()


@override_settings(
    VERSIONING_APP={
        "VERSIONS": "tests.testapp.versions.VERSIONS",
        "DOCS_PERMISSION_CLASSES": ["rest_framework.permissions.IsAdminUser"],
    }
)
@pytest.mark.parametrize(
    "url", ["/api/schema/", "/api/schema/2.1/", "/api/docs/", "/api/redoc/", "/api/changelog/"]
)
def test_docs_permission_classes_apply(api: APIClient, admin_api: APIClient, url: str) -> None:
    """``DOCS_PERMISSION_CLASSES`` guards every docs URL."""
    assert api.get(url).status_code == 403
    assert admin_api.get(url).status_code == 200


def test_docs_follow_drf_default_permissions(api: APIClient, admin_api: APIClient) -> None:
    """Without ``DOCS_PERMISSION_CLASSES``, the API's own default permissions apply."""
    rest = {
        "DEFAULT_VERSIONING_CLASS": "versioning_app.versioning.APIVersioning",
        "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
        "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
        "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    }
    with override_settings(REST_FRAMEWORK=rest):
        assert api.get("/api/schema/2.1/").status_code == 403
        assert admin_api.get("/api/schema/2.1/").status_code == 200
    assert api.get("/api/schema/2.1/").status_code == 200  # IsAuthenticatedOrReadOnly


def test_cached_schema_fetch_makes_no_query(api: APIClient, django_assert_num_queries: Any) -> None:
    """Once generated, serving a version's document touches no database."""
    api.get("/api/schema/2.1/")
    with django_assert_num_queries(0):
        assert api.get("/api/schema/2.1/").status_code == 200


def test_switcher_label_names_status_sunset_and_default() -> None:
    """Labels read like ``1.1 (deprecated, sunset 2099-05-21)``; past the sunset, ``retired``."""
    import datetime

    from versioning_app.conf import app_settings
    from versioning_app.docs.catalog import VersionInfo
    from versioning_app.versions import VersionNumber

    version = app_settings.versions.get(VersionNumber(1, 1))
    assert version is not None
    sunset = datetime.datetime(2099, 5, 21, tzinfo=datetime.UTC)
    entry = VersionInfo(version=version, status="deprecated", sunset_at=sunset)
    assert switcher_label(entry) == "1.1 (deprecated, sunset 2099-05-21)"
    assert switcher_label(entry, entry) == "1.1 (deprecated, sunset 2099-05-21, default)"
    past = datetime.datetime(2021, 1, 1, tzinfo=datetime.UTC)
    gone = VersionInfo(version=version, status="deprecated", sunset_at=past)
    assert switcher_label(gone) == "1.1 (retired, sunset 2021-01-01)"
    assert switcher_label(VersionInfo(version=version, status="preview")) == "1.1 (preview)"

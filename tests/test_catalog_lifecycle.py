"""The docs follow the lifecycle: catalog, 410s, switcher labels, default, cache, deprecations."""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.support.factories import (
    SPEC_DEPRECATED_AT,
    SPEC_MIGRATION_GUIDE,
    SPEC_SUNSET_AT,
    DeprecatedVersionFactory,
    EndpointDeprecationFactory,
    VersionLifecycleFactory,
)
from tests.support.linkheader import links_by_rel
from versioning_app import lifecycle
from versioning_app.docs import cache as schema_cache
from versioning_app.docs import catalog
from versioning_app.models import Status, VersionLifecycle
from versioning_app.versions import VersionNumber

pytestmark = pytest.mark.django_db


def test_catalog_follows_the_database() -> None:
    before = catalog.generation()
    DeprecatedVersionFactory(version="1.1", notes="Moving to 2.0")
    info = catalog.info_for(VersionNumber(1, 1))
    assert (info.status, info.successor, info.notes) == (
        "deprecated",
        VersionNumber(2, 0),
        "Moving to 2.0",
    )
    assert info.lifecycle()["documentation_url"] == "https://docs.example.com/migrate-to-v2"
    assert catalog.generation() != before
    EndpointDeprecationFactory()
    assert catalog.endpoint_deprecation("book-similar", "GET", VersionNumber(1, 0))[
        "replacement"
    ] == ("GET /api/v2/books/?author={id}")
    assert catalog.endpoint_deprecation("book-list", "GET", VersionNumber(1, 0)) is None


def test_schema_and_docs_follow_the_lifecycle(admin_client) -> None:
    DeprecatedVersionFactory(version="1.1")
    VersionLifecycleFactory(version="0.9", status=Status.RETIRED)
    index = json.loads(admin_client.get("/api/schema/").content)
    statuses = {entry["version"]: entry["status"] for entry in index["versions"]}
    assert statuses["1.1"] == "deprecated" and statuses["0.9"] == "retired"
    schema = json.loads(admin_client.get("/api/schema/1.1/").content)
    assert schema["info"]["x-lifecycle"]["status"] == "deprecated"
    assert schema["info"]["x-lifecycle"]["successor"] == "2.0"
    assert admin_client.get("/api/schema/0.9/").status_code == 410


# --- the docs in the SPEC's lifecycle states (0.9 retired, 1.x deprecated, 3.0 preview) -------

SWITCHER_OPTION_RE = re.compile(r"<option ([^>]*)>([^<]+)</option>")


def switcher(html: str) -> list[tuple[str, bool, bool]]:
    """The switcher's options as (label, selected, disabled), top to bottom."""
    return [
        (label, " selected" in attrs, " disabled" in attrs)
        for attrs, label in SWITCHER_OPTION_RE.findall(html)
    ]


def operations(schema: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """Every operation of a document by (METHOD, path)."""
    return {
        (method.upper(), path): operation
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    }


@pytest.mark.parametrize(
    ("url", "successor_page"),
    [
        ("/api/schema/0.9/", "/api/schema/2.0/"),
        ("/api/docs/0.9/", "/api/docs/2.0/"),
        ("/api/redoc/0.9/", "/api/redoc/2.0/"),
    ],
)
def test_retired_version_schema_and_docs_are_the_apis_410_problem(
    api: APIClient, spec_lifecycle: None, url: str, successor_page: str
) -> None:
    """0.9's schema and docs answer the API's own 410 problem, linking the successor's page."""
    response = api.get(url)
    assert response.status_code == 410
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    from_api = api.get("/api/v0/books/")
    assert from_api.status_code == 410
    api_problem = from_api.json()
    assert problem["type"] == api_problem["type"] == "urn:versioning-app:problem:version-retired"
    assert problem["title"] == api_problem["title"]
    assert problem["successor"] == api_problem["successor"] == "2.0"
    assert problem["documentation_url"] == SPEC_MIGRATION_GUIDE
    links = links_by_rel(response["Link"])
    assert links == {"successor-version": [successor_page], "deprecation": [SPEC_MIGRATION_GUIDE]}


def test_switcher_labels_show_status_and_sunset(api: APIClient, spec_lifecycle: None) -> None:
    """Labels name status and sunset; the retired 0.9 is listed but cannot be chosen."""
    html = api.get("/api/docs/1.1/").content.decode()
    assert switcher(html) == [
        ("3.0 (preview)", False, False),
        ("2.1 (stable, default)", False, False),
        ("2.0 (stable)", False, False),
        ("1.1 (deprecated, sunset 2099-05-21)", True, False),
        ("1.0 (deprecated, sunset 2099-05-21)", False, False),
        ("0.9 (retired)", False, True),
    ]
    assert 'class="versioning-app-deprecated"' in html
    assert "Sunset on 2099-05-21." in html


@pytest.mark.parametrize("page", ["docs", "redoc"])
def test_docs_open_at_the_newest_stable_version(
    api: APIClient, spec_lifecycle: None, page: str
) -> None:
    """``/api/docs/`` and ``/api/redoc/`` open 2.1, not the preview 3.0."""
    assert api.get("/api/schema/").json()["default"] == "2.1"
    html = api.get(f"/api/{page}/").content.decode()
    assert '"schemaUrl": "/api/schema/2.1/"' in html
    assert [label for label, selected, _ in switcher(html) if selected] == ["2.1 (stable, default)"]


def test_index_says_which_versions_are_served(api: APIClient, spec_lifecycle: None) -> None:
    """The index marks 0.9 as not served and gives it no schema or docs URL."""
    entries = {entry["version"]: entry for entry in api.get("/api/schema/").json()["versions"]}
    assert entries["0.9"]["served"] is False
    assert entries["0.9"]["schema_url"] is None
    assert entries["1.1"]["served"] is True
    assert entries["1.1"]["sunset_at"] == "2099-05-21T00:00:00+00:00"


def test_a_version_past_its_sunset_is_gone_from_the_docs_too(
    api: APIClient, spec_lifecycle: None
) -> None:
    """A deprecated version past its sunset answers 410 for schema and docs, as its API does."""
    lifecycle.deprecate(
        "1.0",
        deprecated_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
        sunset_at=datetime.datetime(2021, 1, 1, tzinfo=datetime.UTC),
    )
    from_api = api.get("/api/v1/books/", HTTP_API_VERSION="1.0")
    assert from_api.status_code == 410
    for url in ("/api/schema/1.0/", "/api/docs/1.0/", "/api/redoc/1.0/"):
        response = api.get(url)
        assert response.status_code == 410, url
        assert response.json()["type"] == from_api.json()["type"]
        assert response.json()["detail"] == from_api.json()["detail"]
    html = api.get("/api/docs/").content.decode()
    assert ("1.0 (retired, sunset 2021-01-01)", False, True) in switcher(html)
    assert ("1.1 (deprecated, sunset 2099-05-21)", False, False) in switcher(html)
    entries = {entry["version"]: entry for entry in api.get("/api/schema/").json()["versions"]}
    assert entries["1.0"]["served"] is False
    assert entries["1.0"]["status"] == "deprecated"  # the stored status, unchanged
    assert api.get("/api/schema/1.1/").status_code == 200


def test_a_lifecycle_change_gives_a_fresh_schema_without_a_restart(
    api: APIClient, spec_lifecycle: None
) -> None:
    """Deprecating 2.0 through the rules: new cache key, new ETag, operations deprecated."""
    entry = catalog.info_for(VersionNumber(2, 0))
    key_before = schema_cache.cache_key(entry)
    before = api.get("/api/schema/2.0/")
    assert before.status_code == 200
    assert not any(op.get("deprecated") for op in operations(before.json()).values())

    lifecycle.deprecate(
        "2.0",
        deprecated_at=SPEC_DEPRECATED_AT,
        sunset_at=SPEC_SUNSET_AT,
        successor="2.1",
    )

    assert schema_cache.cache_key(catalog.info_for(VersionNumber(2, 0))) != key_before
    after = api.get("/api/schema/2.0/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200  # the old ETag no longer matches
    assert after["ETag"] != before["ETag"]
    schema = after.json()
    assert schema["info"]["x-lifecycle"]["status"] == "deprecated"
    assert schema["info"]["x-lifecycle"]["successor"] == "2.1"
    assert all(op.get("deprecated") is True for op in operations(schema).values())
    html = api.get("/api/docs/").content.decode()
    assert ("2.0 (deprecated, sunset 2099-05-21)", False, False) in switcher(html)

    lifecycle.cancel_deprecation("2.0")
    again = api.get("/api/schema/2.0/")
    assert again.json()["info"]["x-lifecycle"]["status"] == "stable"
    assert not any(op.get("deprecated") for op in operations(again.json()).values())


def test_an_endpoint_deprecation_marks_just_that_operation(api: APIClient) -> None:
    """An EndpointDeprecation row of DELETE book-detail from 2.1 on: only that operation."""
    EndpointDeprecationFactory(
        route="book-detail",
        method="DELETE",
        from_version=VersionLifecycle.objects.get(version="2.1"),
        replacement="PATCH /api/v2/books/{id}/ with archived=true",
    )
    ops = operations(api.get("/api/schema/2.1/").json())
    delete = ops[("DELETE", "/api/v2/books/{id}/")]
    assert delete["deprecated"] is True
    assert "PATCH /api/v2/books/{id}/ with archived=true" in delete["description"]
    assert {"Deprecation", "Sunset"} <= set(delete["responses"]["204"]["headers"])
    assert [key for key, op in ops.items() if op.get("deprecated")] == [
        ("DELETE", "/api/v2/books/{id}/")
    ]
    # From 2.1 on: 2.0 still documents the operation as current.
    older = operations(api.get("/api/schema/2.0/").json())
    assert "deprecated" not in older[("DELETE", "/api/v2/books/{id}/")]

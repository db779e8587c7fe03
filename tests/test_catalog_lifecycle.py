"""The docs' catalog reads the lifecycle snapshot: states, endpoint deprecations, generation."""

from __future__ import annotations

import json

import pytest

from tests.factories import (
    DeprecatedVersionFactory,
    EndpointDeprecationFactory,
    VersionLifecycleFactory,
)
from versioning_app import catalog
from versioning_app.models import Status
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

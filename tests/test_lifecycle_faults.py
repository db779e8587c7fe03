"""The lifecycle under faults (issue 13 items 9 and 10): never a 500, never a revived version.

A worker that starts while the database is down answers what the declaration answers (400,
404) and a 503 problem with ``Retry-After`` for the rest; a lifecycle row deleted through the
ORM keeps its version's last known state, and a process that never saw it answers 503.
The same against a real PostgreSQL behind a proxy that the test cuts: test_faults_live.py.
"""

from __future__ import annotations

import pytest
from django.db import OperationalError
from rest_framework.test import APIClient

from tests.support.factories import DeprecatedVersionFactory, VersionLifecycleFactory
from versioning_app.errors import PROBLEM_CONTENT_TYPE
from versioning_app.lifecycle import snapshot as snapshot_module
from versioning_app.lifecycle.snapshot import install
from versioning_app.models import Status, VersionLifecycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker starting now: nothing read yet, and the lifecycle rows cannot be read."""

    def down() -> None:
        raise OperationalError("connection refused")

    install(None, until=0.0)
    monkeypatch.setattr(snapshot_module, "load_snapshot", down)


def assert_503(response: object) -> None:
    assert response.status_code == 503, response.content[:300]  # type: ignore[attr-defined]
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE  # type: ignore[index]
    assert response["Retry-After"] == "5"  # type: ignore[index]
    assert response.json()["type"].endswith("service-unavailable")  # type: ignore[attr-defined]


@pytest.mark.parametrize("path", ["/api/v2/books/", "/api/v1/books/", "/api/v0/books/"])
def test_a_worker_started_with_the_database_down_answers_503(
    api: APIClient, database_down: None, path: str
) -> None:
    # Before: a 500 on every versioned request.
    response = api.get(path)
    assert_503(response)
    assert "API-Version" in response


@pytest.mark.parametrize(
    ("path", "headers", "status"),
    [
        ("/api/v2/books/", {"API-Version": "2.9"}, 400),  # bad header
        ("/api/v2/nope/", {}, 404),  # no endpoint at the path
        ("/api/v1/authors/", {}, 404),  # an endpoint the version does not have
        ("/api/v9/books/", {}, 404),  # no such major
        ("/api/schema/7.7/", {}, 404),  # no such version's schema
    ],
)
def test_what_the_declaration_answers_is_answered_with_the_database_down(
    api: APIClient, database_down: None, path: str, headers: dict[str, str], status: int
) -> None:
    response = api.get(path, headers=headers)
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE


@pytest.mark.parametrize("path", ["/api/schema/2.1/", "/api/schema/0.9/"])
def test_schemas_answer_503_with_the_database_down(
    api: APIClient, database_down: None, path: str
) -> None:
    assert_503(api.get(path))


def retire_09() -> None:
    DeprecatedVersionFactory(version="0.9")
    VersionLifecycleFactory(version="0.9", status=Status.RETIRED)


@pytest.mark.parametrize("path", ["/api/v0/books/", "/api/schema/0.9/"])
def test_a_deleted_row_keeps_the_last_known_state(api: APIClient, clock: object, path: str) -> None:
    retire_09()
    assert api.get(path).status_code == 410
    VersionLifecycle.objects.filter(version="0.9").delete()  # the ORM, not the admin
    # Before: 200, the retired version served again.
    assert api.get(path).status_code == 410
    clock.now += 6  # type: ignore[attr-defined]  # revalidated: still no row
    assert api.get(path).status_code == 410


@pytest.mark.parametrize("path", ["/api/v0/books/", "/api/schema/0.9/"])
def test_a_missing_row_never_seen_answers_503_not_200(
    api: APIClient, clock: object, path: str
) -> None:
    retire_09()
    VersionLifecycle.objects.filter(version="0.9").delete()
    install(None, until=0.0)  # a worker that starts now never saw the row
    assert_503(api.get(path))
    assert api.get("/api/v1/books/").status_code == 200  # the others are served


def test_a_newly_declared_version_without_a_row_is_served(api: APIClient, clock: object) -> None:
    # Declared after the last sync: newer than every row, so not a missing row.
    VersionLifecycle.objects.filter(version="3.0").delete()
    install(None, until=0.0)
    assert api.get("/api/v3/books/").status_code == 200

"""problem+json bodies, the PROBLEM_TYPE_BASE setting, and the DRF exception handler."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from rest_framework.authentication import BasicAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.test import APIClient, APIRequestFactory
from rest_framework.views import APIView

from versioning_app.errors import (
    PROBLEM_CONTENT_TYPE,
    EndpointNotInVersion,
    InvalidVersionHeader,
    Problem,
    UnknownVersion,
    problem_response,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("problem", "status", "slug", "title"),
    [
        (Problem("d"), 400, "bad-request", "Bad request"),
        (
            UnknownVersion("d", available_versions=["1.0"]),
            404,
            "unknown-version",
            "Unknown API version",
        ),
        (InvalidVersionHeader("d"), 400, "invalid-version", "Invalid API version"),
        (
            EndpointNotInVersion("d", version="2.1"),
            404,
            "endpoint-not-in-version",
            "Endpoint not available in this version",
        ),
    ],
)
def test_problem_response_shape(problem: Problem, status: int, slug: str, title: str) -> None:
    response = problem_response(problem, headers={"X-Extra": "1"})
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    assert response["X-Extra"] == "1"
    body = json.loads(response.content)
    assert body == {
        "type": f"urn:versioning-app:problem:{slug}",
        "title": title,
        "status": status,
        "detail": "d",
        **problem.members,
    }


def test_problem_body_keeps_non_ascii_as_utf8() -> None:
    response = problem_response(Problem("Version \u00e9"))
    assert "Version \u00e9".encode() in response.content


def test_problem_type_base_is_honoured(api: APIClient) -> None:
    with override_settings(
        VERSIONING_APP={
            "VERSIONS": "tests.testapp.versions.VERSIONS",
            "PROBLEM_TYPE_BASE": "https://docs.example.com/problems/",
        }
    ):
        body = api.get("/api/v9/books/").json()
        assert body["type"] == "https://docs.example.com/problems/unknown-version"
        body = api.get("/api/v2/books/", HTTP_API_VERSION="x").json()
        assert body["type"] == "https://docs.example.com/problems/invalid-version"
    assert api.get("/api/v9/books/").json()["type"] == "urn:versioning-app:problem:unknown-version"


class BasicOnly(APIView):
    """A view that needs HTTP Basic: DRF answers 401 with WWW-Authenticate."""

    authentication_classes = [BasicAuthentication]
    permission_classes = [IsAuthenticated]

    def get(self, request):  # pragma: no cover - never reached unauthenticated
        return Response({})


def test_non_problems_are_left_to_drf() -> None:
    response = BasicOnly.as_view()(APIRequestFactory().get("/anything/"))
    response.render()
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="api"'
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {
        "detail": "Authentication credentials were not provided."
    }


@pytest.mark.django_db
def test_permission_denied_keeps_drf_body(api: APIClient) -> None:
    response = api.post("/api/v2/books/", {}, format="json")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Authentication credentials were not provided."}
    assert response["API-Version"] == "2.1"


@pytest.mark.slow
@pytest.mark.parametrize(
    "module",
    ["versioning_app.errors", "versioning_app.versioning", "versioning_app.routing"],
)
def test_modules_import_before_drf_views(module: str) -> None:
    # rest_framework.views imports the versioning class while loading; a project whose urls.py
    # imports one of ours first must not hit a circular import.
    code = f"import django; django.setup(); import {module}; import rest_framework.views"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_a_writes_body_error_keyed_like_a_query_parameter_stays_a_body_error(
    admin_api: APIClient,
) -> None:
    # ``isbn13`` is both a body field and a query parameter of the books: a POST's body error
    # must not be taken for a query error, though the query string carries the name too.
    body = {
        "title": "The Dispossessed",
        "authors": [{"name": "Ursula K. Le Guin"}],
        "publication_date": "1974-05-01",
        "isbn13": "not an isbn",
        "language": "en",
    }
    response = admin_api.post("/api/v3/books/?isbn13=1", body, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == ["isbn13"]

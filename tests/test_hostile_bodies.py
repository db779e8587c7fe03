"""Hostile request bodies answer 4xx problems, never a 500, and never hold a worker (issue 13).

Next to the hostile headers (test_hostile_headers.py): bodies nested a thousand deep, bodies
larger than Django's upload bound, integers past the column's range in the versions that still
have ``pages``, a book with eighty thousand authors, and bodies of the wrong JSON type.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.support.usage_support import UserFactory
from tests.testapp.factories import BookFactory
from tests.testapp.serializers import MAX_AUTHORS
from tests.testapp.versions import MAX_PAGES
from versioning_app.errors import PROBLEM_CONTENT_TYPE
from versioning_app.parsers import nesting_exceeds

pytestmark = pytest.mark.django_db

#: A body of each major's shape, for the versions that have ``pages``.
BODIES = {
    "1.1": {"title": "T", "author_name": "A", "published": "2020-01-01", "isbn": "9780306406157"},
    "2.0": {
        "title": "T",
        "authors": [{"name": "A"}],
        "publication_date": "2020-01-01",
        "isbn": "9780306406157",
    },
}
BODIES["2.1"] = BODIES["2.0"]


@pytest.fixture
def writer() -> APIClient:
    """A client authenticated by HTTP Basic, as a real API client is."""
    user = UserFactory(username="writer")
    client = APIClient()
    token = base64.b64encode(f"{user.username}:secret".encode()).decode()
    client.credentials(HTTP_AUTHORIZATION=f"Basic {token}")
    return client


def post(client: APIClient, version: str, body: bytes | str, path: str = "books/") -> Any:
    """POST a raw JSON body to the version's major, pinned to ``version``."""
    major = version.split(".")[0]
    return client.generic(
        "POST",
        f"/api/v{major}/{path}",
        body,
        content_type="application/json",
        headers={"API-Version": version},
    )


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [33, 1_000, 100_000])
@pytest.mark.parametrize("version", ["1.1", "2.1"])
def test_a_body_nested_too_deep_is_a_400_problem(
    writer: APIClient, version: str, depth: int
) -> None:
    # Before: 1,000 deep answered 500 (RecursionError from DRF's parser).
    body = '{"title": "T", "authors": ' + nested(depth) + "}"
    response = post(writer, version, body)
    assert response.status_code == 400, response.content[:200]
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    assert response.json()["type"].endswith("body-too-deep")
    assert response.json()["max_depth"] == 32
    assert response["API-Version"] == version


def test_a_body_as_deep_as_the_bound_is_parsed() -> None:
    assert not nesting_exceeds(json.loads(nested(32)), 32)
    assert nesting_exceeds(json.loads(nested(33)), 32)
    assert not nesting_exceeds({"a": [1, {"b": 2}], "c": "[[[[[[["}, 3)


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000)
def test_a_body_larger_than_the_upload_bound_is_a_413_problem(writer: APIClient) -> None:
    body = json.dumps({**BODIES["2.0"], "title": "x" * 20_000})
    response = post(writer, "2.1", body)
    assert response.status_code == 413
    assert response.json()["type"].endswith("body-too-large")
    assert response.json()["max_bytes"] == 10_000


@pytest.mark.parametrize("pages", [MAX_PAGES + 1, 2**63, 10**400, -1, 0])
@pytest.mark.parametrize("version", ["1.1", "2.0", "2.1"])
def test_pages_out_of_the_column_range_is_a_400(
    writer: APIClient, version: str, pages: int
) -> None:
    # Before: 2**31 and more answered 500 ("integer out of range" on PostgreSQL).
    response = post(writer, version, json.dumps({**BODIES[version], "pages": pages}))
    assert response.status_code == 400, response.content[:300]
    assert "pages" in response.json()


@pytest.mark.parametrize("version", ["1.1", "2.1"])
def test_the_largest_pages_is_stored(writer: APIClient, version: str) -> None:
    response = post(writer, version, json.dumps({**BODIES[version], "pages": MAX_PAGES}))
    assert response.status_code == 201, response.content
    assert response.json()["pages"] == MAX_PAGES


def test_eighty_thousand_authors_are_refused_before_any_lookup(writer: APIClient) -> None:
    book = BookFactory()
    authors = [{"name": f"author {n}"} for n in range(80_000)]
    body = json.dumps({"authors": authors})
    assert len(body) < 2_500_000  # within Django's upload bound: the list's bound decides
    with CaptureQueriesContext(connection) as queries:
        response = writer.generic(
            "PATCH", f"/api/v2/books/{book.pk}/", body, content_type="application/json"
        )
    assert response.status_code == 400
    assert "authors" in response.json()
    assert len(queries) < 10  # before: one query per author, 30 s of a worker


@pytest.mark.parametrize("count", [2, MAX_AUTHORS])
def test_authors_are_looked_up_in_bulk(writer: APIClient, count: int) -> None:
    book = BookFactory()
    body = json.dumps({"authors": [{"name": f"author {n}"} for n in range(count)]})
    writer.generic("PATCH", f"/api/v2/books/{book.pk}/", body, content_type="application/json")
    body = json.dumps({"authors": [{"name": f"writer {n}"} for n in range(count)]})
    with CaptureQueriesContext(connection) as queries:
        response = writer.generic(
            "PATCH", f"/api/v2/books/{book.pk}/", body, content_type="application/json"
        )
    assert response.status_code == 200, response.content
    assert sorted(a["name"] for a in response.json()["authors"]) == sorted(
        f"writer {n}" for n in range(count)
    )
    # The same queries for 2 and 50 authors (savepoints, user, book, authors, relation rows).
    assert len(queries) <= 16, [q["sql"][:80] for q in queries.captured_queries]


@pytest.mark.parametrize(
    "body",
    ["[]", '"a string"', "null", "42", "[{}]", '{"authors": {"name": "A"}}', '{"authors": "A"}',
     '{"title": {"a": 1}}', "{", "\ud800", "NaN", '{"pages": NaN}', '{"title": "\\u0000"}'],
)  # fmt: skip
@pytest.mark.parametrize("version", ["1.1", "2.1"])
def test_bodies_of_the_wrong_shape_are_4xx(writer: APIClient, version: str, body: str) -> None:
    response = post(writer, version, body.encode("utf-8", "surrogatepass"))
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])

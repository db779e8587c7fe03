"""SPEC section 9 through the test client: every version filters, orders and searches books in
its own names, and gets the rows the database gives for head's equivalents."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from example_project.library.factories import BookFactory
from example_project.library.models import Book

pytestmark = [pytest.mark.django_db, pytest.mark.example]

SERVED = ["1.0", "1.1", "2.0", "2.1", "3.0"]
NEWEST_MINOR = {"1.1", "2.1", "3.0"}
#: (date filter, ISBN filter) as each version names them
NAMES = {
    "1.0": ("published", "isbn"),
    "1.1": ("published", "isbn"),
    "2.0": ("publication_date", "isbn"),
    "2.1": ("publication_date", "isbn"),
    "3.0": ("publication_date", "isbn13"),
}


@pytest.fixture
def books() -> list[Book]:
    """Six books, 1999 to 2014, two of them with "Forge" in the title."""
    return [
        BookFactory(title=title, publication_date=datetime.date(year, 6, 1))
        for title, year in [
            ("The Forge", 2010),
            ("Anvil", 1999),
            ("Bellows", 2014),
            ("Forge Again", 2003),
            ("Crucible", 2006),
            ("Dovetail", 2012),
        ]
    ]


def _get(client: Client, version: str, query: str) -> Any:
    headers = {} if version in NEWEST_MINOR else {"HTTP_API_VERSION": version}
    response = client.get(f"/api/v{version[0]}/books/?{query}", **headers)
    assert response["API-Version"] == version
    return response


def _ids(client: Client, version: str, query: str) -> list[int]:
    response = _get(client, version, query)
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def _db(*order: str, **filters: Any) -> list[int]:
    books = Book.objects.filter(**filters).order_by(*order, "id")
    return list(books.values_list("id", flat=True))


@pytest.mark.parametrize("version", SERVED)
def test_date_filters_with_their_lookups(client: Client, books: list[Book], version: str) -> None:
    date, _isbn = NAMES[version]
    assert _ids(client, version, f"{date}__gte=2006-01-01") == _db(
        publication_date__gte=datetime.date(2006, 1, 1)
    )
    assert _ids(client, version, f"{date}__lte=2006-06-01") == _db(
        publication_date__lte=datetime.date(2006, 6, 1)
    )
    between = f"{date}__gte=2003-01-01&{date}__lte=2010-12-31"
    assert _ids(client, version, between) == _db(
        publication_date__range=(datetime.date(2003, 1, 1), datetime.date(2010, 12, 31))
    )
    assert _ids(client, version, f"{date}=1999-06-01") == [books[1].pk]


@pytest.mark.parametrize("version", SERVED)
def test_isbn_filter(client: Client, books: list[Book], version: str) -> None:
    _date, isbn = NAMES[version]
    assert _ids(client, version, f"{isbn}={books[2].isbn13}") == [books[2].pk]


@pytest.mark.parametrize("version", SERVED)
@pytest.mark.parametrize("descending", [False, True])
def test_ordering_by_title_and_the_versions_date(
    client: Client, books: list[Book], version: str, descending: bool
) -> None:
    date, _isbn = NAMES[version]
    sign = "-" if descending else ""
    assert _ids(client, version, f"ordering={sign}{date}") == _db(f"{sign}publication_date")
    assert _ids(client, version, f"ordering={sign}title") == _db(f"{sign}title")


@pytest.mark.parametrize("version", SERVED)
def test_search_on_titles(client: Client, books: list[Book], version: str) -> None:
    assert _ids(client, version, "search=forge") == _db(title__icontains="forge")


@pytest.mark.parametrize("version", SERVED)
def test_other_versions_names_are_ignored(client: Client, books: list[Book], version: str) -> None:
    date, isbn = NAMES[version]
    others = {"published", "publication_date", "isbn", "isbn13"} - {date, isbn}
    for name in sorted(others):
        value = books[0].isbn13 if name.startswith("isbn") else "2010-06-01"
        assert _ids(client, version, f"{name}={value}") == _db(), name
    wrong_term = "publication_date" if date == "published" else "published"
    assert _ids(client, version, f"ordering=-{wrong_term}") == _db()


@pytest.mark.parametrize("version", SERVED)
def test_a_bad_date_is_a_problem_in_the_versions_name(
    client: Client, books: list[Book], version: str
) -> None:
    date, _isbn = NAMES[version]
    response = _get(client, version, f"{date}__gte=someday")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["parameter"] == f"{date}__gte"


@pytest.mark.parametrize("version", SERVED)
def test_the_document_lists_the_versions_parameters(client: Client, version: str) -> None:
    document = client.get(f"/api/schema/{version}/?format=json").json()
    operation = document["paths"][f"/api/v{version[0]}/books/"]["get"]
    names = {p["name"]: p for p in operation["parameters"] if p["in"] == "query"}
    date, isbn = NAMES[version]
    assert set(names) == {date, f"{date}__gte", f"{date}__lte", isbn, "ordering", "search", "page"}
    assert names[f"{date}__gte"]["schema"] == {"type": "string", "format": "date"}
    assert names["ordering"]["schema"]["items"]["enum"] == ["title", "-title", date, f"-{date}"]

"""Versioned query parameters through the test client, on the catalog API of tests.support.queried.

Every version filters, orders, searches and pages with its own names and types, and gets the
rows head's equivalents give (cross-checked against the database); head-only names are ignored
in older versions; bad input is a 400 problem naming the parameter as the client did; each
version's document lists its own parameters.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.http import QueryDict
from django.test import Client, override_settings

from tests.support.queried import SETTINGS, VERSIONS, CatalogSerializer, CatalogView
from tests.testapp.factories import BookFactory
from tests.testapp.models import Book
from tests.testapp.views import AuthorViewSet
from versioning_app import FieldRenamed, QueryParamRenamed, Version, VersionBundle
from versioning_app.query.checks import query_change_errors
from versioning_app.query.plan import build_plan
from versioning_app.query.translate import translate
from versioning_app.versions import VersionNumber

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def catalog_api() -> Any:
    with override_settings(**SETTINGS):
        yield


@pytest.fixture
def books() -> list[Book]:
    """Seven books over three years; pages 100 to 160, one without a page count."""
    made = [
        BookFactory(
            title=title,
            pages=pages,
            publication_date=datetime.date(year, month, 1),
        )
        for title, pages, year, month in [
            ("Anvil", 100, 2001, 3),
            ("Bellows", 120, 2001, 9),
            ("Crucible", 140, 2002, 1),
            ("Anvil Again", 160, 2002, 6),
            ("Dovetail", 110, 2003, 2),
            ("Ember", None, 2003, 7),
            ("Forge", 150, 2003, 11),
        ]
    ]
    return made


def _ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def _all_ids(client: Client, url: str) -> list[int]:
    """Every row of a paged list, following ``next`` links as given."""
    ids: list[int] = []
    for _page in range(20):  # seven books: a link that does not advance fails, never hangs
        if not url:
            break
        response = client.get(url)
        ids += _ids(response)
        url = response.json()["next"]
    assert not url, "the next links did not come to an end"
    return ids


def _db(**filters: Any) -> list[int]:
    return list(Book.objects.filter(**filters).order_by("id").values_list("id", flat=True))


@pytest.mark.parametrize(
    ("old", "head", "db"),
    [
        ("title=Anvil", "name=Anvil", {"title": "Anvil"}),
        ("title__icontains=anvil", "name__icontains=anvil", {"title__icontains": "anvil"}),
        ("pages__gte=60", "pages__gte=120", {"pages__gte": 120}),
        ("pages=55", "pages=110", {"pages": 110}),
        ("pages__in=50,70", "pages__in=100,140", {"pages__in": [100, 140]}),
        ("pages__isnull=true", "pages__isnull=true", {"pages__isnull": True}),
        (
            "year=2002",
            "publication_date__gte=2002-01-01&publication_date__lte=2002-12-31",
            {"publication_date__year": 2002},
        ),
        ("q=anvil", "search=anvil", {"title__icontains": "anvil"}),
    ],
)
def test_filters_and_search_give_heads_rows(
    client: Client, books: list[Book], old: str, head: str, db: dict[str, Any]
) -> None:
    expected = _db(**db)
    assert expected  # the case selects something, and not everything
    assert len(expected) < len(books)
    assert _all_ids(client, f"/api/v1/catalog/?{old}") == expected
    assert _all_ids(client, f"/api/v2/catalog/?{head}") == expected
    assert _all_ids(client, f"/api/v3/catalog/?{head}&page_size=50") == expected


@pytest.mark.parametrize(
    ("old", "head", "order"),
    [
        ("-title", "-name", ["-title"]),
        ("pages,-title", "pages,-name", ["pages", "-title"]),
        ("-publication_date", "-publication_date", ["-publication_date"]),
    ],
)
def test_ordering_terms_give_heads_order(
    client: Client, books: list[Book], old: str, head: str, order: list[str]
) -> None:
    expected = list(Book.objects.order_by(*order, "id").values_list("id", flat=True))
    assert _all_ids(client, f"/api/v1/catalog/?ordering={old}")[:5] == expected[:5]
    assert _all_ids(client, f"/api/v3/catalog/?ordering={head}&page_size=50") == expected
    assert _all_ids(client, f"/api/v1/catalog/?ordering={old}") == _all_ids(
        client, f"/api/v2/catalog/?ordering={head}"
    )


def test_old_paging_counts_from_zero_and_its_links_stay_in_its_names(
    client: Client, books: list[Book]
) -> None:
    first = client.get("/api/v1/catalog/?p=0&title__icontains=a")
    assert first.status_code == 200
    body = first.json()
    assert body["previous"] is None
    query = parse_qs(urlsplit(body["next"]).query)
    assert query == {"p": ["1"], "title__icontains": ["a"]}  # 1.0's names and numbers
    second = client.get(body["next"])
    assert second.json()["results"][0]["id"] == _db(title__icontains="a")[2]
    previous = parse_qs(urlsplit(second.json()["previous"]).query)
    assert previous == {"title__icontains": ["a"]}  # head's first page drops its parameter
    head = client.get("/api/v2/catalog/?page=2&name__icontains=a").json()
    assert [row["id"] for row in head["results"]] == [row["id"] for row in second.json()["results"]]
    assert head["next"] is None  # three titles with an "a": two pages
    assert parse_qs(urlsplit(head["previous"]).query) == {"name__icontains": ["a"]}
    first_head = client.get("/api/v2/catalog/?name__icontains=a").json()
    assert parse_qs(urlsplit(first_head["next"]).query) == {
        "page": ["2"],
        "name__icontains": ["a"],
    }


def test_old_rows_in_old_shape(client: Client, books: list[Book]) -> None:
    row = client.get("/api/v1/catalog/?title=Anvil").json()["results"][0]
    assert row == {
        "id": books[0].pk,
        "title": "Anvil",
        "pages": 50,
        "publication_date": "2001-03-01",
    }


@pytest.mark.parametrize(
    ("url", "ignored"),
    [
        ("/api/v1/catalog/?name=Anvil", "head's filter name"),
        ("/api/v1/catalog/?search=anvil", "head's search parameter"),
        ("/api/v1/catalog/?ordering=-name", "head's ordering term"),
        ("/api/v2/catalog/?page_size=1", "a parameter added in 3.0"),
        ("/api/v2/catalog/?title=Anvil", "an old name in a newer version"),
    ],
)
def test_names_a_version_does_not_have_are_ignored(
    client: Client, books: list[Book], url: str, ignored: str
) -> None:
    assert _all_ids(client, url) == _db(), ignored


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/catalog/?pages__gte=many", "pages__gte"),
        ("/api/v1/catalog/?pages__gte=-1", "pages__gte"),  # 1.0's own minimum
        ("/api/v1/catalog/?pages__in=1,x", "pages__in"),
        ("/api/v1/catalog/?year=MMI", "year"),
        ("/api/v1/catalog/?p=-1", "p"),
        ("/api/v1/catalog/?title__regex=A.*", "title__regex"),  # a lookup 1.0 does not have
        ("/api/v2/catalog/?publication_date__gte=yesterday", "publication_date__gte"),
        ("/api/v3/catalog/?name__startswith=A", "name__startswith"),
        ("/api/v3/catalog/?search=a%00b", "search"),
        ("/api/v1/catalog/?q=a%00b", "q"),
    ],
)
def test_bad_query_input_is_a_problem_in_the_clients_names(
    client: Client, books: list[Book], url: str, parameter: str
) -> None:
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"].endswith("invalid-query-parameter")
    assert body["parameter"] == parameter
    assert parameter in body["detail"]
    assert response["API-Version"]


def test_translation_costs_no_query(
    client: Client, books: list[Book], django_assert_num_queries: Any
) -> None:
    client.get("/api/v1/catalog/?title__icontains=a&ordering=-title&p=0")  # warm
    with django_assert_num_queries(2):  # the count and the page, as at head
        client.get("/api/v1/catalog/?title__icontains=a&ordering=-title&p=0")
    with django_assert_num_queries(2):
        client.get("/api/v2/catalog/?name__icontains=a&ordering=-name&page=1")


def test_view_code_reads_heads_query_and_can_read_the_clients(client: Client) -> None:
    body = client.get("/api/v1/echo/?title=Anvil&p=0&pages__gte=60&name=x&other=1").json()
    assert body == {
        "query_params": {
            "name": ["Anvil"],
            "page": ["1"],
            "pages__gte": ["120"],
            "other": ["1"],
        },
        "client_query_params": {
            "title": ["Anvil"],
            "p": ["0"],
            "pages__gte": ["60"],
            "name": ["x"],
            "other": ["1"],
        },
    }


def test_the_clients_query_stays_available() -> None:
    plan = build_plan(VERSIONS, CatalogView, VersionNumber(1, 0))
    query = QueryDict("title=Anvil&q=x&ordering=-title,pages&p=0&other=1&name=ignored")
    translated = translate(query, plan)
    assert translated is not query
    assert query["title"] == "Anvil"  # untouched
    assert sorted(translated.lists()) == [
        ("name", ["Anvil"]),
        ("ordering", ["-name,pages"]),
        ("other", ["1"]),
        ("page", ["1"]),
        ("search", ["x"]),
    ]
    head = build_plan(VERSIONS, CatalogView, VersionNumber(3, 0))
    same = QueryDict("name=Anvil&page=2")
    assert translate(same, head) is same  # nothing to do at head: the same object


def _parameters(client: Client, version: str) -> dict[str, dict[str, Any]]:
    document = client.get(f"/api/schema/{version}/?format=json")
    assert document.status_code == 200
    operation = document.json()["paths"][f"/api/v{version[0]}/catalog/"]["get"]
    return {p["name"]: p for p in operation["parameters"] if p["in"] == "query"}


def test_each_document_lists_its_versions_parameters(client: Client) -> None:
    old = _parameters(client, "1.0")
    assert set(old) == {
        "title",
        "title__icontains",
        "pages",
        "pages__gte",
        "pages__lte",
        "pages__in",
        "pages__isnull",
        "publication_date__gte",
        "publication_date__lte",
        "writer",
        "ordering",
        "q",
        "p",
        "year",
    }
    assert old["pages__gte"]["schema"] == {"type": "integer", "minimum": 0, "nullable": True}
    assert old["pages__in"]["schema"]["type"] == "array"
    assert old["year"]["schema"]["type"] == "integer"
    assert old["ordering"]["schema"]["items"]["enum"] == [
        "title",
        "-title",
        "pages",
        "-pages",
        "publication_date",
        "-publication_date",
    ]
    middle = _parameters(client, "2.0")
    assert {"name", "search", "page"} <= set(middle)
    assert not {"page_size", "title", "q", "p", "year"} & set(middle)
    assert middle["pages__gte"]["schema"]["type"] == "integer"
    head = _parameters(client, "3.0")
    assert set(head) == set(middle) | {"page_size"}
    assert head["ordering"]["schema"]["items"]["enum"][:2] == ["name", "-name"]


def test_the_declaration_passes_the_checks() -> None:
    assert query_change_errors(VERSIONS, [CatalogView]) == []


def test_a_field_change_can_opt_out_of_query_parameters() -> None:
    bundle = VersionBundle(
        Version("1.0"),
        Version(
            "2.0",
            FieldRenamed(CatalogSerializer, "title", "name", query=False),
            QueryParamRenamed("q", "search", views=[AuthorViewSet]),  # another view's
        ),
    )
    plan = build_plan(bundle, CatalogView, VersionNumber(1, 0))
    assert {"name", "name__icontains", "search"} <= set(plan.entries)
    assert not {"title", "title__icontains", "q"} & set(plan.entries)
    assert plan.identity
    derived = VersionBundle(
        Version("1.0"), Version("2.0", FieldRenamed(CatalogSerializer, "title", "name"))
    )
    plan = build_plan(derived, CatalogView, VersionNumber(1, 0))
    assert {"title", "title__icontains"} <= set(plan.entries)
    assert plan.term_map == {"title": "name"}


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/catalog/?writer=999999", "writer"),
        ("/api/v2/catalog/?author=999999", "author"),
        ("/api/v1/catalog/?writer=999999&pages__gte=1", "writer"),
    ],
)
def test_a_filter_backends_own_error_is_a_problem_in_the_clients_names(
    client: Client, books: list[Book], url: str, parameter: str
) -> None:
    # django-filter checks a model choice itself and names head's filter (``author``).
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"].endswith("invalid-query-parameter")
    assert body["parameter"] == parameter
    assert list(body["errors"]) == [parameter]
    assert parameter in body["detail"]

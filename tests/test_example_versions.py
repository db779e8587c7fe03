"""SPEC section 6 through the test client: every version's Book fields, read and write."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from rest_framework.test import APIClient

from example_project.library.factories import AuthorFactory, BookFactory, isbn13
from example_project.library.models import Author, Book
from example_project.library.serializers import BookSerializer
from versioning_app import serialize, serializer_for

pytestmark = [pytest.mark.django_db, pytest.mark.example]

BOOK_FIELDS = {
    "0.9": ["id", "title", "author_name", "published", "isbn"],
    "1.0": ["id", "title", "author_name", "published", "isbn"],
    "1.1": ["id", "title", "author_name", "published", "isbn", "pages"],
    "2.0": ["id", "title", "authors", "publication_date", "isbn", "pages"],
    "2.1": ["id", "title", "authors", "publication_date", "isbn", "pages", "language"],
    "3.0": ["id", "title", "authors", "publication_date", "isbn13", "language"],
}
SERVED = ["1.0", "1.1", "2.0", "2.1", "3.0"]
NEWEST_MINOR = {"1.1", "2.1", "3.0"}


def url(version: str, book: Book | int | None = None, suffix: str = "") -> str:
    """The books URL of a version's major (list, or one book)."""
    base = f"/api/v{version.split('.')[0]}/books/"
    if book is None:
        return base
    return f"{base}{getattr(book, 'pk', book)}/{suffix}"


def headers(version: str) -> dict[str, str]:
    """Pin a minor that is not its major's newest (the URL serves the newest)."""
    return {} if version in NEWEST_MINOR else {"API-Version": version}


def payload(version: str, *, title: str = "Dune", author: str = "Frank Herbert") -> dict[str, Any]:
    """A valid create body in a version's shape (with a fresh ISBN)."""
    fields = BOOK_FIELDS[version]
    body: dict[str, Any] = {"title": title}
    if "author_name" in fields:
        body["author_name"] = author
    else:
        body["authors"] = [{"name": author}]
    date_key = "published" if "published" in fields else "publication_date"
    body[date_key] = "1965-08-01"
    body["isbn13" if "isbn13" in fields else "isbn"] = isbn13(900_000 + len(Book.objects.all()))
    if "pages" in fields:
        body["pages"] = 412
    if "language" in fields:
        body["language"] = "fr"
    return body


@pytest.fixture
def book() -> Book:
    """A book with one author, 300 pages, in German."""
    return BookFactory(
        title="Momo",
        authors=[AuthorFactory(name="Michael Ende")],
        publication_date=datetime.date(1973, 1, 1),
        isbn13="9783522202107",
        pages=300,
        language="de",
    )


def expected(version: str, book: Book) -> dict[str, Any]:
    """The representation SPEC section 6 promises for ``book`` in ``version``."""
    book.refresh_from_db()
    every = {
        "id": book.pk,
        "title": book.title,
        "author_name": book.authors.all()[0].name,
        "authors": [{"id": a.pk, "name": a.name} for a in book.authors.all()],
        "published": book.publication_date.isoformat(),
        "publication_date": book.publication_date.isoformat(),
        "isbn": book.isbn13,
        "isbn13": book.isbn13,
        "pages": book.pages,
        "language": book.language,
    }
    return {name: every[name] for name in BOOK_FIELDS[version]}


@pytest.mark.parametrize("version", SERVED)
def test_detail_has_exactly_the_versions_fields(api: APIClient, book: Book, version: str) -> None:
    response = api.get(url(version, book), headers=headers(version))
    assert response.status_code == 200
    assert response["API-Version"] == version
    assert list(response.json()) == BOOK_FIELDS[version]
    assert response.json() == expected(version, book)


@pytest.mark.parametrize("version", SERVED)
def test_paginated_list_has_the_versions_fields(api: APIClient, book: Book, version: str) -> None:
    BookFactory.create_batch(2)
    response = api.get(url(version), headers=headers(version))
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["count", "next", "previous", "results"]
    assert body["count"] == 3
    assert [list(item) for item in body["results"]] == [BOOK_FIELDS[version]] * 3
    assert body["results"][0] == expected(version, book)


def test_version_0_9_serves_the_1_0_shape(book: Book) -> None:
    data = serialize(BookSerializer, book, version="0.9")
    assert data == expected("0.9", book)


@pytest.mark.parametrize("version", SERVED)
def test_create_in_every_version(admin_api: APIClient, version: str) -> None:
    body = payload(version)
    response = admin_api.post(url(version), body, format="json", headers=headers(version))
    assert response.status_code == 201, response.json()
    assert list(response.json()) == BOOK_FIELDS[version]
    created = Book.objects.get(pk=response.json()["id"])
    assert [a.name for a in created.authors.all()] == ["Frank Herbert"]
    assert created.publication_date == datetime.date(1965, 8, 1)
    assert created.isbn13 == body.get("isbn", body.get("isbn13"))
    assert created.pages == (412 if "pages" in body else None)
    assert created.language == ("fr" if "language" in body else "en")
    assert response.json() == expected(version, created)


@pytest.mark.parametrize("version", SERVED)
def test_put_in_every_version(admin_api: APIClient, book: Book, version: str) -> None:
    body = payload(version, title="Momo (new edition)", author="Ende")
    response = admin_api.put(url(version, book), body, format="json", headers=headers(version))
    assert response.status_code == 200, response.json()
    book.refresh_from_db()
    assert book.title == "Momo (new edition)"
    assert [a.name for a in book.authors.all()] == ["Ende"]
    assert book.publication_date == datetime.date(1965, 8, 1)
    # Fields a version does not have keep their value.
    assert book.pages == (412 if "pages" in BOOK_FIELDS[version] else 300)
    assert book.language == ("fr" if "language" in BOOK_FIELDS[version] else "de")
    assert response.json() == expected(version, book)


@pytest.mark.parametrize("version", SERVED)
def test_patch_in_every_version(admin_api: APIClient, book: Book, version: str) -> None:
    date_key = "published" if version < "2.0" else "publication_date"
    response = admin_api.patch(
        url(version, book), {date_key: "1974-02-02"}, format="json", headers=headers(version)
    )
    assert response.status_code == 200, response.json()
    book.refresh_from_db()
    assert book.publication_date == datetime.date(1974, 2, 2)
    assert [a.name for a in book.authors.all()] == ["Michael Ende"]
    assert response.json() == expected(version, book)


@pytest.mark.parametrize("version", SERVED)
def test_delete_in_every_version(admin_api: APIClient, book: Book, version: str) -> None:
    response = admin_api.delete(url(version, book), headers=headers(version))
    assert response.status_code == 204
    assert not Book.objects.filter(pk=book.pk).exists()


@pytest.mark.parametrize("created_in", ["1.0", "1.1"])
@pytest.mark.parametrize("read_in", ["2.0", "2.1", "3.0"])
def test_created_in_1x_reads_in_2x_and_3x(
    admin_api: APIClient, api: APIClient, created_in: str, read_in: str
) -> None:
    body = {
        "title": "The Dispossessed",
        "author_name": "Ursula K. Le Guin",
        "published": "1974-05-01",
        "isbn": "9780060512750",
    }
    created = admin_api.post(url(created_in), body, format="json", headers=headers(created_in))
    assert created.status_code == 201, created.json()
    author = Author.objects.get(name="Ursula K. Le Guin")
    response = api.get(url(read_in, created.json()["id"]), headers=headers(read_in))
    assert response.status_code == 200
    data = response.json()
    assert data["authors"] == [{"id": author.pk, "name": "Ursula K. Le Guin"}]
    assert data["publication_date"] == "1974-05-01"
    assert data.get("isbn", data.get("isbn13")) == "9780060512750"
    assert "author_name" not in data and "published" not in data


@pytest.mark.parametrize("read_in", ["1.0", "1.1"])
def test_created_in_3_0_reads_in_1x(admin_api: APIClient, api: APIClient, read_in: str) -> None:
    body = {
        "title": "Kindred",
        "authors": [{"name": "Octavia E. Butler"}],
        "publication_date": "1979-06-01",
        "isbn13": "9780807083697",
        "language": "en",
    }
    created = admin_api.post(url("3.0"), body, format="json")
    assert created.status_code == 201, created.json()
    response = api.get(url(read_in, created.json()["id"]), headers={"API-Version": read_in})
    assert response.status_code == 200
    assert response["API-Version"] == read_in
    data = response.json()
    assert list(data) == BOOK_FIELDS[read_in]
    assert data["author_name"] == "Octavia E. Butler"
    assert data["published"] == "1979-06-01"
    assert data["isbn"] == "9780807083697"


def test_1x_put_of_what_it_read_keeps_co_authors(admin_api: APIClient, book: Book) -> None:
    book.authors.add(AuthorFactory(name="Co Author"))
    read = admin_api.get(url("1.1", book)).json()
    response = admin_api.put(url("1.1", book), read, format="json")
    assert response.status_code == 200, response.json()
    assert {a.name for a in book.authors.all()} == {"Michael Ende", "Co Author"}


def test_1x_new_author_name_finds_or_creates_the_author(admin_api: APIClient, book: Book) -> None:
    existing = AuthorFactory(name="Existing")
    response = admin_api.patch(url("1.1", book), {"author_name": "Existing"}, format="json")
    assert response.status_code == 200
    assert list(book.authors.all()) == [existing]
    response = admin_api.patch(url("1.1", book), {"author_name": "Brand New"}, format="json")
    assert response.json()["author_name"] == "Brand New"
    assert [a.name for a in book.authors.all()] == ["Brand New"]
    assert Author.objects.filter(name="Existing").exists()


@pytest.mark.parametrize("version", ["1.0", "1.1"])
def test_1x_validation_errors_use_1x_names(admin_api: APIClient, version: str) -> None:
    body = {"title": "X", "author_name": "A", "published": "not a date", "isbn": "123"}
    response = admin_api.post(url(version), body, format="json", headers=headers(version))
    assert response.status_code == 400
    assert set(response.json()) == {"published", "isbn"}
    assert not Author.objects.filter(name="A").exists()  # nothing migrated, nothing written


def test_1x_requires_author_name(admin_api: APIClient) -> None:
    body = {"title": "X", "published": "2000-01-01", "isbn": isbn13(5)}
    response = admin_api.post(url("1.1"), body, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"author_name"}


@pytest.mark.parametrize(
    ("version", "key"), [("1.1", "isbn"), ("2.0", "isbn"), ("2.1", "isbn"), ("3.0", "isbn13")]
)
def test_head_validate_method_runs_under_the_old_name(
    admin_api: APIClient, book: Book, version: str, key: str
) -> None:
    body = payload(version)
    body[key] = book.isbn13  # taken: BookSerializer.validate_isbn13 refuses it
    response = admin_api.post(url(version), body, format="json", headers=headers(version))
    assert response.status_code == 400
    assert response.json() == {key: ["A book with this ISBN already exists."]}


def test_fields_of_other_versions_are_ignored_on_write(admin_api: APIClient) -> None:
    body = {**payload("1.1"), "language": "fr", "authors": [{"name": "Ignored"}]}
    response = admin_api.post(url("1.1"), body, format="json")
    assert response.status_code == 201
    created = Book.objects.get(pk=response.json()["id"])
    assert created.language == "en"
    assert not Author.objects.filter(name="Ignored").exists()


def test_similar_in_1x_renders_1x_books(api: APIClient, book: Book) -> None:
    other = BookFactory(authors=list(book.authors.all()))
    response = api.get(url("1.0", book, "similar/"), headers={"API-Version": "1.0"})
    assert response.status_code == 200
    assert response.json()["results"] == [expected("1.0", other)]


@pytest.mark.parametrize("version", SERVED)
def test_list_queries_do_not_grow_with_the_version(
    api: APIClient, version: str, django_assert_num_queries: Any
) -> None:
    BookFactory.create_batch(5)
    # count, page of books, prefetched authors: the same three queries in every version.
    with django_assert_num_queries(3):
        response = api.get(url(version), headers=headers(version))
    assert response.status_code == 200


def test_serializer_for_writes_in_an_old_version_outside_http() -> None:
    serializer = serializer_for(
        BookSerializer,
        data={"title": "T", "author_name": "N", "published": "2001-01-01", "isbn": isbn13(7)},
        version="0.9",
    )
    assert serializer.is_valid(), serializer.errors
    book = serializer.save()
    assert [a.name for a in book.authors.all()] == ["N"]
    assert serializer.data["author_name"] == "N"


@pytest.mark.parametrize("version", SERVED)
def test_drf_spectacular_documents_each_versions_book_fields(version: str) -> None:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator(api_version=version).get_schema(request=None, public=True)
    assert list(schema["components"]["schemas"]["Book"]["properties"]) == BOOK_FIELDS[version]

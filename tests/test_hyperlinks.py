"""Hyperlinks of ``serialize()``/``serializer_for()`` follow the version asked for, with or
without a request, against the small hyperlinked API of ``tests.support.hyperlinked``."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from rest_framework.test import APIClient

from tests.support.hyperlinked import HYPERLINKED_SETTINGS, LinkedBookSerializer
from tests.testapp.factories import AuthorFactory, BookFactory, isbn13
from tests.testapp.models import Book
from versioning_app import serialize, serializer_for

pytestmark = pytest.mark.django_db

BASE = "https://api.example.com"


@pytest.fixture(autouse=True)
def _hyperlinked_api() -> Iterator[None]:
    with override_settings(**HYPERLINKED_SETTINGS):
        yield


def _with_base(base: object) -> override_settings:
    return override_settings(
        VERSIONING_APP={**HYPERLINKED_SETTINGS["VERSIONING_APP"], "LINK_BASE_URL": base}
    )


def test_serialize_at_1_0_during_a_2x_request_links_into_v1(api: APIClient) -> None:
    author = AuthorFactory()
    book = BookFactory(authors=[author])
    response = api.get(f"/api/v2/books/{book.pk}/webhook/")
    assert response.status_code == 200
    assert response["API-Version"] == "2.0"
    assert response.json() == {
        "url": f"http://testserver/api/v1/books/{book.pk}/",
        "title": book.title,
        "authors": [f"http://testserver/api/v1/authors/{author.pk}/"],
        "published": book.publication_date.isoformat(),  # 1.0's name
        "isbn13": book.isbn13,
    }
    # The 2.0 view itself still links into v2.
    own = api.get(f"/api/v2/books/{book.pk}/").json()
    assert own["url"] == f"http://testserver/api/v2/books/{book.pk}/"
    assert own["authors"] == [f"http://testserver/api/v2/authors/{author.pk}/"]


def test_serialize_without_a_request_uses_the_base_url_setting() -> None:
    author = AuthorFactory()
    book = BookFactory(authors=[author])
    with _with_base(BASE):
        old = serialize(LinkedBookSerializer, book, version="1.0")
        new = serialize(LinkedBookSerializer, [book], version="2.0")
    assert old["url"] == f"{BASE}/api/v1/books/{book.pk}/"
    assert old["authors"] == [f"{BASE}/api/v1/authors/{author.pk}/"]
    assert "published" in old
    assert new[0]["url"] == f"{BASE}/api/v2/books/{book.pk}/"
    assert "publication_date" in new[0]


def test_the_base_url_argument_wins_over_the_setting() -> None:
    book = BookFactory()
    with _with_base(BASE):
        data = serialize(LinkedBookSerializer, book, version="1.0", base_url="http://hooks.test/")
    assert data["url"] == f"http://hooks.test/api/v1/books/{book.pk}/"


def test_a_link_without_request_or_base_url_is_a_clear_error() -> None:
    book = BookFactory()
    with pytest.raises(ImproperlyConfigured, match=r"LINK_BASE_URL.*https://api\.example\.com"):
        serialize(LinkedBookSerializer, book, version="1.0")
    with pytest.raises(ValueError, match="base_url must be an http"):
        serialize(LinkedBookSerializer, book, version="1.0", base_url="api.example.com")


def _payload_1_0(author_link: str) -> dict[str, object]:
    return {
        "title": "Kindred",
        "authors": [author_link],
        "published": "1979-06-01",
        "isbn13": isbn13(7),
    }


def test_serializer_for_accepts_a_1_0_payload_with_its_own_v1_links() -> None:
    author = AuthorFactory()
    payload = _payload_1_0(f"{BASE}/api/v1/authors/{author.pk}/")
    serializer = serializer_for(LinkedBookSerializer, data=payload, version="1.0")
    assert serializer.is_valid(), serializer.errors
    book = serializer.save()
    assert list(book.authors.all()) == [author]
    assert book.publication_date == datetime.date(1979, 6, 1)


def test_serializer_for_refuses_a_link_of_another_major() -> None:
    author = AuthorFactory()
    payload = _payload_1_0(f"/api/v2/authors/{author.pk}/")
    serializer = serializer_for(LinkedBookSerializer, data=payload, version="1.0")
    assert not serializer.is_valid()
    assert serializer.errors == {"authors": ["Invalid hyperlink - Incorrect URL match."]}
    assert not Book.objects.exists()


def test_the_same_1_0_payload_posted_to_v1_is_accepted(admin_api: APIClient) -> None:
    author = AuthorFactory()
    payload = _payload_1_0(f"http://testserver/api/v1/authors/{author.pk}/")
    response = admin_api.post("/api/v1/books/", payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    book = Book.objects.get()
    assert body["url"] == f"http://testserver/api/v1/books/{book.pk}/"
    assert body["authors"] == payload["authors"]
    assert body["published"] == "1979-06-01"


def test_serializer_for_at_1_0_during_a_2x_request_matches_v1_links(admin_api: APIClient) -> None:
    author = AuthorFactory()
    payload = _payload_1_0(f"http://testserver/api/v1/authors/{author.pk}/")
    response = admin_api.post("/api/v2/books/replay/", payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    book = Book.objects.get()
    assert list(book.authors.all()) == [author]
    # The answer is the 2.0 view's own: 2.0 names and v2 links.
    assert body["url"] == f"http://testserver/api/v2/books/{book.pk}/"
    assert body["authors"] == [f"http://testserver/api/v2/authors/{author.pk}/"]
    assert body["publication_date"] == "1979-06-01"

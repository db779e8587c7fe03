"""Head fields an older version drops before any change reads them are never built for it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.testapp.serializers import BookAuthorSerializer, BookSerializer
from versioning_app.payloads import serializer_for

SHAPES = {
    "1.0": ["id", "title", "author_name", "published", "isbn"],
    "1.1": ["id", "title", "author_name", "published", "isbn", "pages"],
    "2.0": ["id", "title", "authors", "publication_date", "isbn", "pages"],
    "2.1": ["id", "title", "authors", "publication_date", "isbn", "pages", "language"],
    "3.0": ["id", "title", "authors", "publication_date", "isbn13", "language"],
}


@pytest.fixture
def nested_builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the book's nested author serializer is constructed (copies included)."""
    built: list[int] = []
    real = BookAuthorSerializer.__init__

    def counting(self: Any, *args: Any, **kwargs: Any) -> None:
        built.append(1)
        real(self, *args, **kwargs)

    monkeypatch.setattr(BookAuthorSerializer, "__init__", counting)
    return built


@pytest.mark.parametrize("version", SHAPES)
def test_authors_are_built_only_where_served(nested_builds: list[int], version: str) -> None:
    """1.x has no ``authors`` (added in 2.0): the nested serializer is not even copied."""
    fields = serializer_for(BookSerializer, version=version).fields
    assert ("authors" in fields) is (nested_builds != [])


@pytest.mark.parametrize(("version", "shape"), SHAPES.items())
def test_the_served_shapes_keep_their_fields_and_order(version: str, shape: list[str]) -> None:
    """Skipping unbuilt fields changes no version's fields, nor their order."""
    assert list(serializer_for(BookSerializer, version=version).fields) == shape

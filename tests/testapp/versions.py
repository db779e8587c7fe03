"""The test API's versions, oldest first, each with the changes it introduced.

The serializers describe head (3.0) only; every older shape is derived from these changes.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from tests.testapp.models import Author, Book
from tests.testapp.serializers import BookSerializer
from versioning_app import Version, VersionBundle
from versioning_app.changes import (
    EndpointAdded,
    EndpointRemoved,
    FieldAdded,
    FieldRemoved,
    FieldRenamed,
    RequestMigration,
    ResponseMigration,
)


def author_name_from_authors(data: dict[str, Any], book: Book) -> dict[str, Any]:
    """1.x books have one author: show the first of head's authors."""
    authors = list(book.authors.all())  # prefetched by the views
    data["author_name"] = authors[0].name if authors else None
    return data


def authors_from_author_name(data: dict[str, Any], serializer: Any) -> dict[str, Any]:
    """A 1.x ``author_name`` finds or creates that author and makes it the book's author.

    Naming one of the book's current authors changes nothing, so a 1.x client that sends back
    what it read keeps the co-authors a 2.x client added.
    """
    name = data.pop("author_name", None)
    if name is None:
        return data
    book = serializer.instance
    if book is not None and any(author.name == name for author in book.authors.all()):
        return data
    author, _created = Author.objects.get_or_create(name=name)
    data["authors"] = [{"name": author.name}]
    return data


# The largest ``pages`` the column stores on every database (PositiveIntegerField): a larger
# value in an old version's body is a 400, not a database error.
MAX_PAGES = 2_147_483_647

VERSIONS = VersionBundle(
    Version("0.9", description="The first public preview."),
    Version("1.0", description="The first stable release."),
    Version(
        "1.1",
        FieldAdded(BookSerializer, "pages", description="Books have a `pages` count."),
        description="Books know their page count.",
    ),
    Version(
        "2.0",
        EndpointAdded("author-list", description="Authors can be listed and created."),
        EndpointAdded("author-detail", description="Authors can be read, edited and deleted."),
        EndpointRemoved("book-similar", description="`books/{id}/similar/` is gone."),
        FieldAdded(
            BookSerializer,
            "authors",
            description="Books have `authors`, a list of `{id, name}`; a book may have several.",
        ),
        FieldRemoved(
            BookSerializer,
            "author_name",
            serializers.CharField(max_length=200),
            after="title",
            description="`author_name` is gone: use `authors`.",
        ),
        ResponseMigration(
            BookSerializer,
            author_name_from_authors,
            description="1.x responses keep `author_name`: the first author's name.",
        ),
        RequestMigration(
            BookSerializer,
            authors_from_author_name,
            description="1.x requests may still send `author_name`: it becomes the book's author.",
        ),
        FieldRenamed(
            BookSerializer,
            "published",
            "publication_date",
            description="`published` is renamed `publication_date`.",
        ),
        description="Books have several authors.",
    ),
    Version(
        "2.1",
        FieldAdded(BookSerializer, "language", description="Books have a `language`."),
        description="Books know their language.",
    ),
    Version(
        "3.0",
        FieldRenamed(BookSerializer, "isbn", "isbn13", description="`isbn` is renamed `isbn13`."),
        FieldRemoved(
            BookSerializer,
            "pages",
            serializers.IntegerField(
                min_value=1, max_value=MAX_PAGES, allow_null=True, required=False
            ),
            after="isbn",
            description="`pages` is gone.",
        ),
        description="ISBN-13 only.",
    ),
)

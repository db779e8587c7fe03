"""The benchmarked pairs: each names a plain DRF request and the same request through the app."""

from __future__ import annotations

from django.core.management import call_command
from django.test import Client

from benchmarks.pair import Pair

LIST_SIZE = 50


def prepare() -> None:
    """Create the schema in the in-memory database and 50 books with two authors each."""
    from example_project.library.factories import AuthorFactory, BookFactory

    call_command("migrate", verbosity=0, run_syncdb=True)
    authors = [AuthorFactory() for _ in range(10)]
    for index in range(LIST_SIZE):
        BookFactory(authors=[authors[index % 10], authors[(index + 1) % 10]])


def _get(client: Client, path: str, **headers: str) -> None:
    response = client.get(path, **headers)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}: {response.content[:200]!r}")


def _schema_pairs(client: Client, plain_detail: str) -> list[Pair]:
    """Schema generation against plain drf-spectacular, and the cached fetch of a document."""
    from drf_spectacular.generators import SchemaGenerator

    from benchmarks.urls import schema_baseline_patterns
    from versioning_app.docs import catalog
    from versioning_app.docs.schema import generate_schema
    from versioning_app.versions import VersionNumber

    plain_patterns = schema_baseline_patterns  # the same book and author viewsets, unversioned
    info = catalog.info_for(VersionNumber(2, 1))
    assert info is not None

    def plain_generation() -> None:
        SchemaGenerator(patterns=plain_patterns).get_schema(request=None, public=True)

    def versioned_generation() -> None:
        generate_schema(info)

    return [
        Pair(
            "schema 2.1: cold generation",
            plain_generation,
            versioned_generation,
            target=1.3,
            calls=2,
        ),
        Pair(
            "schema 2.1: cached fetch (vs plain detail)",
            lambda: _get(client, plain_detail),
            lambda: _get(client, "/api/schema/2.1/"),
            target_us=2000,
        ),
    ]


def build_pairs() -> list[Pair]:
    """Every pair the benchmark reports."""
    from example_project.library.models import Book

    client = Client()
    book = Book.objects.order_by("pk").first()
    assert book is not None
    plain_list, plain_detail = "/plain/books/", f"/plain/books/{book.pk}/"
    # Version 1.1 is compared with the same shape written by hand in plain DRF.
    plain_11_list, plain_11_detail = "/plain/v1.1/books/", f"/plain/v1.1/books/{book.pk}/"
    return [
        Pair(
            "head 3.0: list of 50",
            lambda: _get(client, plain_list),
            lambda: _get(client, "/api/v3/books/"),
            target=1.03,
        ),
        Pair(
            "head 3.0: detail",
            lambda: _get(client, plain_detail),
            lambda: _get(client, f"/api/v3/books/{book.pk}/"),
            target=1.03,
        ),
        # Four change steps back from head (3.0 -> 2.1 -> 2.0 -> 1.1): renames, a removed
        # field restored, added fields dropped, and the author_name response migration.
        Pair(
            "1.1 (4 steps back): list of 50",
            lambda: _get(client, plain_11_list),
            lambda: _get(client, "/api/v1/books/"),
            target=1.10,
        ),
        Pair(
            "1.1 (4 steps back): detail",
            lambda: _get(client, plain_11_detail),
            lambda: _get(client, f"/api/v1/books/{book.pk}/"),
            target=1.10,
        ),
        *_schema_pairs(client, plain_detail),
    ]

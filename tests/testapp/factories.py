"""factory-boy factories for the test app."""

from __future__ import annotations

import datetime
from typing import Any

import factory

from tests.testapp.models import Author, Book


def isbn13(sequence: int) -> str:
    """A valid ISBN-13 (978 prefix, right check digit) for a sequence number."""
    body = f"978{sequence:09d}"
    total = sum(int(digit) * (3 if index % 2 else 1) for index, digit in enumerate(body))
    return f"{body}{(10 - total % 10) % 10}"


class AuthorFactory(factory.django.DjangoModelFactory):
    """An author with a unique name."""

    class Meta:
        model = Author
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Author {n}")


class BookFactory(factory.django.DjangoModelFactory):
    """A book with one author, unless ``authors=[...]`` is given."""

    class Meta:
        model = Book
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Book {n}")
    publication_date = factory.Sequence(lambda n: datetime.date(2000, 1, 1) + datetime.timedelta(n))
    isbn13 = factory.Sequence(isbn13)
    pages = factory.Sequence(lambda n: 100 + n)
    language = Book.Language.ENGLISH

    @factory.post_generation
    def authors(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        """Attach the given authors, or one new author."""
        if not create:
            return
        self.authors.set(extracted if extracted is not None else [AuthorFactory()])

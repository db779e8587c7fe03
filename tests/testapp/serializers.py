"""Head serializers: the newest version's shapes. Older versions are derived from them."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from tests.testapp.models import Author, Book
from versioning_app.serializers import VersionedModelSerializer

#: The most authors a book's body may name.
MAX_AUTHORS = 50


def validate_isbn13(value: str) -> str:
    """Accept 13 digits whose ISBN-13 check digit is right."""
    if len(value) != 13 or not value.isdigit():
        raise serializers.ValidationError(_("An ISBN-13 is 13 digits."))
    total = sum(int(digit) * (3 if index % 2 else 1) for index, digit in enumerate(value[:12]))
    if (10 - total % 10) % 10 != int(value[12]):
        raise serializers.ValidationError(_("The ISBN-13 check digit is wrong."))
    return value


class AuthorSerializer(VersionedModelSerializer):
    """An author, as the authors endpoints serve it."""

    class Meta:
        model = Author
        fields = ["id", "name"]


class BookAuthorSerializer(VersionedModelSerializer):
    """An author inside a book; writing one finds or creates the author by name."""

    class Meta:
        model = Author
        fields = ["id", "name"]
        # Uniqueness is what find-or-create relies on, not an error here.
        extra_kwargs = {"name": {"validators": []}}


class BookSerializer(VersionedModelSerializer):
    """A book, in the newest version's shape."""

    # Bounded: each author is a lookup, and a body may name thousands.
    authors = BookAuthorSerializer(many=True, allow_empty=False, max_length=MAX_AUTHORS)
    isbn13 = serializers.CharField(validators=[validate_isbn13])

    class Meta:
        model = Book
        fields = ["id", "title", "authors", "publication_date", "isbn13", "language"]

    def validate_isbn13(self, value: str) -> str:
        """Keep ISBNs unique, with an error rather than an integrity failure."""
        books = Book.objects.filter(isbn13=value)
        if self.instance is not None:
            books = books.exclude(pk=self.instance.pk)
        if books.exists():
            raise serializers.ValidationError(_("A book with this ISBN already exists."))
        return value

    @staticmethod
    def _authors(data: list[dict[str, Any]]) -> list[Author]:
        # Two queries whatever the number of authors: insert the new names, read them all.
        names = list(dict.fromkeys(item["name"] for item in data))
        Author.objects.bulk_create([Author(name=name) for name in names], ignore_conflicts=True)
        by_name = Author.objects.in_bulk(names, field_name="name")
        return [by_name[name] for name in names]

    @transaction.atomic
    def create(self, validated_data: dict[str, Any]) -> Book:
        """Create the book and find or create its authors."""
        authors = self._authors(validated_data.pop("authors"))
        book = Book.objects.create(**validated_data)
        book.authors.set(authors)
        return book

    @transaction.atomic
    def update(self, instance: Book, validated_data: dict[str, Any]) -> Book:
        """Update the book; authors are replaced when given."""
        authors = validated_data.pop("authors", None)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        instance.save()
        if authors is not None:
            instance.authors.set(self._authors(authors))
        return instance

"""Version declarations for the tests, built on attribute access so that each bad one is
importable by dotted path (``tests.support.declarations.UNORDERED``) without breaking the others."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from tests.support.priced import ItemSerializer, from_cents, to_cents
from tests.testapp.models import Book
from tests.testapp.serializers import BookSerializer
from versioning_app import QueryParamRenamed, Version, VersionBundle
from versioning_app.changes import (
    Change,
    EndpointAdded,
    EndpointRemoved,
    EnumChoiceAdded,
    EnumChoiceRemoved,
    FieldAdded,
    FieldRemoved,
    FieldRenamed,
    FieldTypeChanged,
)


class PlainBookSerializer(serializers.ModelSerializer):
    """A serializer without the mixin: changes declared on it would be ignored (E025)."""

    class Meta:
        model = Book
        fields = ["id", "title"]


class NeedsArgumentSerializer(BookSerializer):
    """Cannot be instantiated without an argument, so its changes cannot be checked (W020)."""

    def __init__(self, required: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)


def _library(*changes: Change) -> VersionBundle:
    """The test app's majors, with ``changes`` declared on 2.0."""
    return VersionBundle(Version("0.9"), Version("1.0"), Version("2.0", *changes), Version("3.0"))


# book-list POST arrives in 1.1; book-detail DELETE leaves in 2.1;
# book-similar leaves in 2.0 and comes back in 2.1 (method-level and route-level changes);
# author-list arrives method by method: its GET in 2.0, its POST in 2.1 (so 1.x has no route).
METHOD_LEVEL = VersionBundle(
    Version("1.0"),
    Version("1.1", EndpointAdded("book-list", "POST")),
    Version("2.0", EndpointRemoved("book-similar"), EndpointAdded("author-list", "GET")),
    Version(
        "2.1",
        EndpointRemoved("book-detail", "DELETE"),
        EndpointAdded("book-similar"),
        EndpointAdded("author-list", "POST"),
    ),
)

# The settings that serve the library routes versioned by METHOD_LEVEL.
METHOD_LEVEL_SETTINGS = {
    "ROOT_URLCONF": "tests.support.urlconfs.method_level",
    "VERSIONING_APP": {"VERSIONS": "tests.support.declarations.METHOD_LEVEL"},
}

_BUILDERS = {
    "EMPTY": lambda: VersionBundle(),
    "MALFORMED": lambda: VersionBundle(Version("1.0"), Version("two")),
    "DUPLICATED": lambda: VersionBundle(Version("1.0"), Version("1.0")),
    "UNORDERED": lambda: VersionBundle(Version("1.10"), Version("1.9")),
    "FIRST_WITH_CHANGES": lambda: VersionBundle(Version("1.0", EndpointAdded("book-list"))),
    "UNKNOWN_ROUTE": lambda: VersionBundle(
        Version("0.9"),
        Version("1.0"),
        Version("2.0", EndpointRemoved("no-such-route")),
        Version("3.0"),
    ),
    "MISSING_MAJOR": lambda: VersionBundle(
        Version("0.9"), Version("1.0"), Version("2.0"), Version("3.0"), Version("4.0")
    ),
    "FEWER_MAJORS": lambda: VersionBundle(Version("1.0"), Version("2.0"), Version("3.0")),
    "UNKNOWN_SERIALIZER": lambda: _library(FieldAdded("tests.testapp.serializers.Nope", "title")),
    "UNKNOWN_FIELD": lambda: _library(FieldAdded(BookSerializer, "colour")),
    "REMOVED_WITHOUT_DEFINITION": lambda: _library(FieldRemoved(BookSerializer, "author_name")),
    "CONFLICTING": lambda: _library(
        EnumChoiceAdded(BookSerializer, "language", ["es"]),
        EnumChoiceRemoved(BookSerializer, "language", ["es"]),
    ),
    "NAME_TAKEN": lambda: _library(FieldRenamed(BookSerializer, "title", "language")),
    "WITHOUT_MIXIN": lambda: _library(FieldAdded(PlainBookSerializer, "title")),
    "ENUM_WITHOUT_CHOICES": lambda: _library(EnumChoiceAdded(BookSerializer, "title", ["x"])),
    "METHOD_FIELD_WRITABLE": lambda: _library(
        FieldTypeChanged(
            ItemSerializer, "total", serializers.IntegerField(), to_old=to_cents, to_new=from_cents
        )
    ),
    "UNKNOWN_QUERY_PARAM": lambda: _library(QueryParamRenamed("p", "no_such_param")),
    # 1.x's ISBN filter would be called ``search``, the name of SearchFilter's parameter.
    "QUERY_RENAME_COLLIDES": lambda: _library(FieldRenamed(BookSerializer, "search", "isbn13")),
    "NOT_INSPECTABLE": lambda: _library(FieldAdded(NeedsArgumentSerializer, "title")),
    # author-list as a whole arrives in 2.1, but its POST is "added" in 1.1 and its GET in 2.0.
    "ENDPOINT_DISAGREEMENT": lambda: VersionBundle(
        Version("0.9"),
        Version("1.0"),
        Version("1.1", EndpointAdded("author-list", "POST")),
        Version("2.0", EndpointAdded("author-list", "GET")),
        Version("2.1", EndpointAdded("author-list"), EndpointAdded("book-list", "POST")),
        Version("3.0", EndpointRemoved("book-similar"), EndpointRemoved("book-similar", "GET")),
    ),
}

NOT_A_BUNDLE = ["1.0", "2.0"]


def __getattr__(name: str) -> VersionBundle:
    """Build the named declaration on access (a bad one raises its declaration error)."""
    try:
        builder = _BUILDERS[name]
    except KeyError:
        raise AttributeError(name) from None
    return builder()

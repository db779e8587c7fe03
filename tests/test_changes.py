"""Change instructions: endpoint, field, enum and migration changes, and the checks on them."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.checks import CheckMessage
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import override_settings
from rest_framework import serializers

from tests.support.declarations import NeedsArgumentSerializer, PlainBookSerializer
from tests.support.priced import ItemSerializer
from tests.testapp.serializers import BookSerializer
from tests.testapp.versions import VERSIONS
from versioning_app import Version, VersionBundle
from versioning_app.changes import (
    EndpointAdded,
    EndpointRemoved,
    EnumChoiceAdded,
    EnumChoiceRemoved,
    FieldAdded,
    FieldRemoved,
    FieldRenamed,
    FieldTypeChanged,
    RequestMigration,
    ResponseMigration,
)
from versioning_app.checks import check_bundle, check_changes
from versioning_app.versions import VersionDeclarationError


@pytest.mark.parametrize("cls", [EndpointAdded, EndpointRemoved])
@pytest.mark.parametrize("route", ["", None, 3])
def test_route_is_required(cls: type, route: object) -> None:
    with pytest.raises(ImproperlyConfigured, match="needs a route name"):
        cls(route)


@pytest.mark.parametrize("cls", [EndpointAdded, EndpointRemoved])
def test_unknown_methods_are_refused(cls: type) -> None:
    with pytest.raises(ImproperlyConfigured, match="FETCH, TEAPOT"):
        cls("book-list", "GET", "teapot", "FETCH")


@pytest.mark.parametrize(
    ("methods", "route", "method", "applies"),
    [
        ((), "book-list", "GET", True),
        ((), "book-list", "DELETE", True),
        ((), "book-detail", "GET", False),
        (("post",), "book-list", "POST", True),
        (("POST",), "book-list", "GET", False),
        (("GET", "PUT"), "book-list", "PUT", True),
        (("GET", "PUT"), "author-list", "PUT", False),
    ],
)
def test_applies_to(methods: tuple[str, ...], route: str, method: str, applies: bool) -> None:
    assert EndpointAdded("book-list", *methods).applies_to(route, method) is applies


@pytest.mark.parametrize(
    ("change", "description"),
    [
        (EndpointAdded("author-list"), "Endpoint `author-list` added."),
        (EndpointRemoved("book-similar"), "Endpoint `book-similar` removed."),
        (
            EndpointAdded("book-list", "post", "DELETE"),
            "Endpoint `book-list` (DELETE, POST) added.",
        ),
        (EndpointRemoved("book-list", "GET", description="No listing."), "No listing."),
    ],
)
def test_descriptions(change: EndpointAdded, description: str) -> None:
    assert change.describe() == description


def test_presence_direction() -> None:
    assert EndpointAdded("x").present_from_here is True
    assert EndpointRemoved("x").present_from_here is False
    assert EndpointAdded("x").methods is None
    assert EndpointAdded("x", "get").methods == frozenset({"GET"})


# --- Field, enum and migration changes (serializer changes) ---


def ids(bundle: VersionBundle) -> list[str]:
    """The check ids that a bundle's serializer changes raise."""
    return [message.id for message in check_bundle(bundle)]  # type: ignore[misc]


def bundle_with(*changes: Any) -> VersionBundle:
    """A two-version bundle whose second version declares ``changes`` (head is BookSerializer)."""
    return VersionBundle(Version("1.0"), Version("2.0", *changes))


def test_field_changes_describe_themselves() -> None:
    assert FieldAdded(BookSerializer, "language").describe() == "`BookSerializer.language` added."
    assert (
        FieldRenamed(BookSerializer, "isbn", "isbn13").describe()
        == "`BookSerializer.isbn` renamed to `isbn13`."
    )
    removed = FieldRemoved(BookSerializer, "pages", serializers.IntegerField())
    assert removed.describe() == "`BookSerializer.pages` removed."
    assert EnumChoiceAdded(BookSerializer, "language", ["es"]).describe() == (
        "`BookSerializer.language` accepts `es`."
    )
    assert EnumChoiceRemoved(BookSerializer, "language", {"it": "Italian"}).describe() == (
        "`BookSerializer.language` no longer accepts `it`."
    )
    described = FieldAdded(BookSerializer, "language", description="Books have a language.")
    assert described.describe() == "Books have a language."


def test_migrations_stay_off_the_changelog_unless_described() -> None:
    def noop(data: Any, other: Any) -> Any:
        return data

    assert not ResponseMigration(BookSerializer, noop).in_changelog
    assert RequestMigration(BookSerializer, noop, description="Explained.").in_changelog
    assert FieldAdded(BookSerializer, "language").in_changelog


def test_serializer_may_be_a_dotted_path() -> None:
    change = FieldAdded("tests.testapp.serializers.BookSerializer", "language")
    assert change.serializer is BookSerializer
    assert change.serializer_name == "BookSerializer"


@pytest.mark.parametrize(
    "declare",
    [
        lambda: FieldAdded(BookSerializer, "not a name"),
        lambda: FieldAdded(42, "title"),  # type: ignore[arg-type]
        lambda: FieldRenamed(BookSerializer, "same", "same"),
        lambda: FieldTypeChanged(
            BookSerializer,
            "pages",
            "not a field",
            to_old=str,
            to_new=int,  # type: ignore[arg-type]
        ),
        lambda: FieldTypeChanged(
            BookSerializer, "pages", serializers.CharField(), to_old=str, to_new=None
        ),
        lambda: EnumChoiceAdded(BookSerializer, "language", []),
        lambda: ResponseMigration(BookSerializer, "not callable"),  # type: ignore[arg-type]
    ],
)
def test_malformed_declarations_fail_at_declaration(declare: Any) -> None:
    with pytest.raises(ImproperlyConfigured):
        declare()


def test_the_test_app_changes_pass_the_checks() -> None:
    assert check_bundle(VERSIONS) == []
    call_command("check", fail_level="WARNING")


def test_e005_first_version_with_field_changes() -> None:
    with pytest.raises(VersionDeclarationError) as raised:
        VersionBundle(Version("1.0", FieldAdded(BookSerializer, "language")))
    assert raised.value.check_id == "versioning_app.E005"


def test_e020_serializer_that_does_not_exist() -> None:
    assert ids(bundle_with(FieldAdded("tests.testapp.serializers.Nope", "x"))) == [
        "versioning_app.E020"
    ]
    assert ids(bundle_with(FieldAdded(dict, "x"))) == ["versioning_app.E020"]


def test_e021_field_that_does_not_exist() -> None:
    assert ids(bundle_with(FieldAdded(BookSerializer, "colour"))) == ["versioning_app.E021"]
    assert ids(bundle_with(FieldRenamed(BookSerializer, "isbn", "isbn"[:3] + "x"))) == [
        "versioning_app.E021"
    ]
    after_missing = FieldRemoved(BookSerializer, "pages", serializers.IntegerField(), after="nope")
    assert ids(bundle_with(after_missing)) == ["versioning_app.E021"]


def test_e021_names_are_those_of_the_declaring_version() -> None:
    # isbn13 is called isbn before 3.0: a 2.0 change must name it isbn.
    bundle = VersionBundle(
        Version("1.0"),
        Version(
            "2.0",
            FieldTypeChanged(
                BookSerializer, "isbn13", serializers.CharField(), to_old=str, to_new=str
            ),
        ),
        Version("3.0", FieldRenamed(BookSerializer, "isbn", "isbn13")),
    )
    assert ids(bundle) == ["versioning_app.E021"]


def test_e022_removed_field_without_definition() -> None:
    assert ids(bundle_with(FieldRemoved(BookSerializer, "author_name"))) == ["versioning_app.E022"]


def test_e023_conflicting_changes_in_one_version() -> None:
    conflicting = bundle_with(
        FieldAdded(BookSerializer, "language"),
        FieldRemoved(BookSerializer, "language", serializers.CharField()),
    )
    assert "versioning_app.E023" in ids(conflicting)
    choices = bundle_with(
        EnumChoiceAdded(BookSerializer, "language", ["es"]),
        EnumChoiceRemoved(BookSerializer, "language", ["es"]),
    )
    assert ids(choices) == ["versioning_app.E023"]


def test_e024_restored_name_already_taken() -> None:
    assert ids(bundle_with(FieldRemoved(BookSerializer, "title", serializers.CharField()))) == [
        "versioning_app.E024"
    ]
    assert ids(bundle_with(FieldRenamed(BookSerializer, "title", "language"))) == [
        "versioning_app.E024"
    ]


def test_e025_serializer_without_the_mixin() -> None:
    assert ids(bundle_with(FieldAdded(PlainBookSerializer, "title"))) == ["versioning_app.E025"]


def test_e026_enum_change_on_a_field_without_choices() -> None:
    assert ids(bundle_with(EnumChoiceAdded(BookSerializer, "title", ["x"]))) == [
        "versioning_app.E026"
    ]


def test_e027_method_field_retyped_beyond_what_can_be_served() -> None:
    def retype(name: str, old_field: serializers.Field) -> FieldTypeChanged:
        return FieldTypeChanged(ItemSerializer, name, old_field, to_old=str, to_new=str)

    writable = bundle_with(retype("total", serializers.IntegerField()))
    (message,) = check_bundle(writable)
    assert message.id == "versioning_app.E027"
    assert "writable" in message.msg
    assert ids(bundle_with(retype("total", serializers.IntegerField(read_only=True)))) == []
    # A method field with a method_name the serializer lacks has no value to convert.
    lacking = type(
        "LackingSerializer",
        (ItemSerializer,),
        {"total": serializers.SerializerMethodField(method_name="get_nothing")},
    )
    no_method = FieldTypeChanged(
        lacking, "total", serializers.IntegerField(read_only=True), to_old=str, to_new=str
    )
    (message,) = check_bundle(bundle_with(no_method))
    assert message.id == "versioning_app.E027"
    assert "'get_nothing'" in message.msg


def test_w020_serializer_that_cannot_be_inspected() -> None:
    assert ids(bundle_with(FieldAdded(NeedsArgumentSerializer, "title"))) == ["versioning_app.W020"]


def test_check_changes_reads_the_configured_bundle() -> None:
    broken = bundle_with(FieldAdded(BookSerializer, "colour"))
    with override_settings(VERSIONING_APP={"VERSIONS": broken}):
        messages: list[CheckMessage] = check_changes()
    assert [message.id for message in messages] == ["versioning_app.E021"]
    with override_settings(VERSIONING_APP={"VERSIONS": "not.a.module.VERSIONS"}):
        assert check_changes() == []  # reported as E001 by the settings check

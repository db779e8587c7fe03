"""The compatibility guard: ``manage.py api_compat`` and the schema comparison behind it."""

from __future__ import annotations

import copy
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from versioning_app.docs.compatibility import check_compatibility, compare_schemas

BREAKING = {"VERSIONS": "tests.support.breaking_versions.VERSIONS"}


def test_the_test_app_has_no_breaking_minor() -> None:
    """The test app's minors only add: the command succeeds and names the pairs it compared."""
    out = StringIO()
    call_command("api_compat", stdout=out)
    assert "No breaking changes (1.0 -> 1.1, 2.0 -> 2.1)" in out.getvalue()


@override_settings(VERSIONING_APP=BREAKING)
def test_breaking_declaration_fails_with_one_line_per_violation() -> None:
    """A minor that removes an endpoint: non-zero exit, one line naming it."""
    out = StringIO()
    with pytest.raises(CommandError, match="1 breaking change"):
        call_command("api_compat", stdout=out)
    assert out.getvalue().splitlines() == [
        "2.1 breaks 2.0: endpoint DELETE /api/v2/authors/{id}/ removed"
    ]


@override_settings(VERSIONING_APP=BREAKING)
def test_check_compatibility_returns_violations() -> None:
    """The same violation as data."""
    [violation] = check_compatibility()
    assert (violation.version, violation.predecessor) == ("2.1", "2.0")


def _document(book: dict[str, Any], *, required: list[str] | None = None) -> dict[str, Any]:
    ref = {"$ref": "#/components/schemas/Book"}
    return {
        "paths": {
            "/books/": {
                "get": {"responses": {"200": {"content": {"application/json": {"schema": ref}}}}},
                "post": {
                    "requestBody": {"content": {"application/json": {"schema": ref}}},
                    "responses": {"201": {"content": {"application/json": {"schema": ref}}}},
                },
            }
        },
        "components": {
            "schemas": {
                "Book": {
                    "type": "object",
                    "properties": book,
                    "required": required or [],
                },
                "LanguageEnum": {"enum": ["en", "fr"], "type": "string"},
            }
        },
    }


BOOK = {
    "id": {"type": "integer", "readOnly": True},
    "title": {"type": "string"},
    "published": {"type": "string", "format": "date"},
    "language": {"allOf": [{"$ref": "#/components/schemas/LanguageEnum"}]},
}


def test_identical_documents_are_compatible() -> None:
    """Nothing changed, nothing reported."""
    assert compare_schemas(_document(BOOK), _document(copy.deepcopy(BOOK))) == []


def test_added_optional_field_is_compatible() -> None:
    """Adding an optional field is what minors are for."""
    new = {**BOOK, "pages": {"type": "integer"}}
    assert compare_schemas(_document(BOOK), _document(new)) == []


def test_removed_or_renamed_field() -> None:
    """A field that disappears is reported for requests and responses alike."""
    new = {key: value for key, value in BOOK.items() if key != "title"}
    new["name"] = {"type": "string"}
    assert compare_schemas(_document(BOOK), _document(new)) == [
        "response field Book.title removed or renamed",
        "request field Book.title removed or renamed",
    ]


def test_changed_type_or_format() -> None:
    """``string/date`` to ``integer`` is a changed type."""
    new = {**BOOK, "published": {"type": "integer"}}
    assert "response Book.published changed type string/date -> integer" in compare_schemas(
        _document(BOOK), _document(new)
    )


def test_newly_required_request_field() -> None:
    """A request field that becomes required breaks existing clients."""
    assert compare_schemas(_document(BOOK), _document(BOOK, required=["title"])) == [
        "request field Book.title newly required"
    ]


def test_read_only_field_becoming_required_is_not_a_request_change() -> None:
    """drf-spectacular lists read-only fields as required; clients never send them."""
    assert compare_schemas(_document(BOOK), _document(BOOK, required=["id"])) == []


def test_removed_enum_choice() -> None:
    """A choice that disappears from an enum is reported."""
    old, new = _document(BOOK), _document(BOOK)
    new["components"]["schemas"]["LanguageEnum"]["enum"] = ["en"]
    assert "response LanguageEnum enum choice 'fr' removed" in compare_schemas(old, new)


def test_removed_endpoint_and_response() -> None:
    """A removed operation is one line, not one per field."""
    old = _document(BOOK)
    new = copy.deepcopy(old)
    del new["paths"]["/books/"]["post"]
    assert compare_schemas(old, new) == ["endpoint POST /books/ removed"]


def test_newly_required_parameter() -> None:
    """A query parameter that becomes required is breaking."""
    old = _document(BOOK)
    new = copy.deepcopy(old)
    new["paths"]["/books/"]["get"]["parameters"] = [
        {"in": "query", "name": "q", "required": True, "schema": {"type": "string"}}
    ]
    assert compare_schemas(old, new) == ["GET /books/: query parameter q newly required"]


@override_settings(VERSIONING_APP={"VERSIONS": "tests.support.breaking_versions.FIELD_BREAKING"})
def test_breaking_field_changes_in_a_minor() -> None:
    """A minor that renames, retypes and drops an enum choice: each is one line."""
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("api_compat", stdout=out)
    lines = out.getvalue().splitlines()
    assert "2.1 breaks 2.0: response field Book.published removed or renamed" in lines
    assert "2.1 breaks 2.0: request field Book.publication_date newly required" in lines
    assert "2.1 breaks 2.0: response Book.pages changed type string -> integer" in lines
    assert "2.1 breaks 2.0: request LanguageEnum enum choice 'la' removed" in lines
    assert all(line.startswith("2.1 breaks 2.0: ") for line in lines)
    assert len(lines) == len(set(lines))

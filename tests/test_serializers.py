"""The serializer mixin: every kind of change, nested and paginated, through the test client.

This module is its own URLconf: a test-only serializer and bundle, served by a real viewset.
"""

from __future__ import annotations

import datetime
import gc
import weakref
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.urls import include, path
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.test import APIClient

from tests.testapp.factories import AuthorFactory, BookFactory, isbn13
from tests.testapp.models import Author, Book
from versioning_app import Version, VersionBundle, VersionNumber
from versioning_app.chain import chain_for, has_changes
from versioning_app.changes import (
    EnumChoiceAdded,
    EnumChoiceRemoved,
    FieldAdded,
    FieldRemoved,
    FieldRenamed,
    FieldTypeChanged,
    RequestMigration,
    ResponseMigration,
)
from versioning_app.conf import app_settings
from versioning_app.payloads import serialize, serializer_for
from versioning_app.routing import versioned_urls
from versioning_app.serializers import (
    VersionedModelSerializer,
    VersionedSerializerMixin,
    is_versioned,
)

pytestmark = pytest.mark.django_db

CALLS: dict[str, int] = {"date_validator": 0, "response": 0}
CREATED: list[dict[str, Any]] = []


def count_date_validation(value: datetime.date) -> None:
    """Counts validation passes (one per request, whatever the version)."""
    CALLS["date_validator"] += 1


def declare(*bases: type) -> tuple[type, type]:
    """The test's writer and book serializers, on ``bases``."""

    class WriterSerializer(*bases):  # type: ignore[misc]
        """Head: an author as ``{id, name}``; before 2.0 the name was called ``label``."""

        class Meta:
            model = Author
            fields = ["id", "name"]
            extra_kwargs = {"name": {"validators": []}}

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            """Head's object-level rule, written in head's names."""
            if attrs.get("name") == "Nobody":
                raise serializers.ValidationError({"name": ["Nobody is not a writer."]})
            return attrs

    class ShelfBookSerializer(*bases):  # type: ignore[misc]
        """Head shape of a test-only book serializer."""

        authors = WriterSerializer(many=True)
        pages = serializers.IntegerField(min_value=1)
        publication_date = serializers.DateField(validators=[count_date_validation])

        class Meta:
            model = Book
            fields = ["id", "title", "authors", "publication_date", "isbn13", "pages", "language"]

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            """Head's object-level rules, written in head's names (``title``, ``isbn13``)."""
            if attrs.get("title") == "Untitled":
                raise serializers.ValidationError({"title": ["A book needs a real title."]})
            if attrs.get("title") == "Anonymous":
                raise serializers.ValidationError("A book needs an author.")
            if attrs.get("title") == "No ISBN" and "isbn13" not in attrs:
                raise serializers.ValidationError(
                    {"non_field_errors": ["Not in this shop."], "isbn13": ["An ISBN is needed."]}
                )
            return attrs

        def create(self, validated_data: dict[str, Any]) -> Book:
            """Record what head receives; ``boom`` fails after the request migrations ran."""
            CREATED.append(dict(validated_data))
            if validated_data["title"].startswith("boom"):
                raise serializers.ValidationError({"title": ["boom"]})
            authors = validated_data.pop("authors")
            validated_data.setdefault("isbn13", isbn13(Book.objects.count() + 1000))
            book = Book.objects.create(**validated_data)
            book.authors.set([Author.objects.get_or_create(name=a["name"])[0] for a in authors])
            return book

    return WriterSerializer, ShelfBookSerializer


def pages_to_text(pages: int) -> str:
    """Before 1.1, pages were text like ``"412 pages"``."""
    return f"{pages} pages"


def text_to_pages(text: str) -> int:
    """Parse ``"412 pages"``; a ValueError is the client's fault (400)."""
    return int(text.removesuffix(" pages"))


def italian_is_english(data: dict[str, Any], serializer: Any) -> dict[str, Any]:
    """``it`` was dropped in 2.0; older requests with it store ``en``.

    Written for 2.0, which renames ``name`` to ``title``: its error uses the 2.0 name.
    """
    if data.get("language") == "it" and data["title"] == "Inferno":
        raise serializers.ValidationError({"title": ["No English edition of this title."]})
    if data.get("language") == "it":
        data["language"] = "en"
    return data


def add_initials(data: dict[str, Any], author: Author) -> dict[str, Any]:
    """Nested response migration: writers had initials before 2.0."""
    CALLS["response"] += 1
    data["initials"] = "".join(part[0] for part in data["label"].split())
    return data


def strip_name(data: dict[str, Any], serializer: Any) -> dict[str, Any]:
    """Nested request migration (head's name, as head's create() gets it); 2.0 renames it."""
    if data["name"] == "Anonymous":
        raise serializers.ValidationError({"name": ["Writers sign their books."]})
    data["name"] = data["name"].strip()
    return data


def title_brackets(data: dict[str, Any], book: Book) -> dict[str, Any]:
    """2.1 response migration: knows the title as ``title`` (its name in 2.0)."""
    data["title"] = f"[{data['title']}]"
    return data


def title_bang(data: dict[str, Any], book: Book) -> dict[str, Any]:
    """3.0 response migration: runs before the 2.1 one."""
    data["title"] = f"{data['title']}!"
    return data


def suffix_a(data: dict[str, Any], serializer: Any) -> dict[str, Any]:
    """2.1 request migration: runs before the 3.0 one; refuses a forbidden title."""
    if data["title"] == "forbidden":
        raise serializers.ValidationError({"title": ["This title is forbidden."]})
    data["title"] += "-a"
    return data


def suffix_b_and_side_effect(data: dict[str, Any], serializer: Any) -> dict[str, Any]:
    """3.0 request migration: writes to the database, then appends ``-b``."""
    AuthorFactory(name=f"side effect of {data['title']}")
    data["title"] += "-b"
    return data


def bundle_for(writer: type, shelf: type) -> VersionBundle:
    """The test's versions and changes, declared on the given serializers."""
    return VersionBundle(
        Version("1.0"),
        Version(
            "1.1",
            FieldTypeChanged(
                shelf,
                "pages",
                serializers.CharField(),
                to_old=pages_to_text,
                to_new=text_to_pages,
            ),
        ),
        Version("1.2", EnumChoiceAdded(shelf, "language", ["es"])),
        Version(
            "2.0",
            EnumChoiceRemoved(shelf, "language", {"it": "Italian"}),
            RequestMigration(shelf, italian_is_english),
            FieldRenamed(shelf, "name", "title"),
            FieldRenamed(writer, "label", "name"),
            ResponseMigration(writer, add_initials),
            RequestMigration(writer, strip_name),
            FieldRemoved(writer, "initials", serializers.CharField(read_only=True)),
        ),
        Version(
            "2.1",
            ResponseMigration(shelf, title_brackets),
            RequestMigration(shelf, suffix_a),
        ),
        Version(
            "3.0",
            FieldAdded(shelf, "isbn13"),
            ResponseMigration(shelf, title_bang),
            RequestMigration(shelf, suffix_b_and_side_effect),
        ),
    )


WriterSerializer, ShelfBookSerializer = declare(VersionedModelSerializer)
BUNDLE = bundle_for(WriterSerializer, ShelfBookSerializer)


class OnePerPage(PageNumberPagination):
    """Pages of one, so that a test sees an envelope with a next link."""

    page_size = 1


class ShelfViewSet(viewsets.ModelViewSet):
    """A plain head viewset over the test serializer."""

    pagination_class = OnePerPage
    queryset = Book.objects.prefetch_related("authors")
    serializer_class = ShelfBookSerializer

    @action(detail=False, methods=["post"])
    def bulk(self, request: Request) -> Response:
        """Create several books in one request: a ``many=True`` write."""
        serializer = self.get_serializer(data=request.data, many=True)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response(serializer.data, status=201)


router = SimpleRouter()
router.register("shelf", ShelfViewSet, basename="shelf")
urlpatterns = [path("api/", include(versioned_urls(router.urls, versions=BUNDLE)))]


@pytest.fixture(autouse=True)
def shelf() -> Any:
    """The book serializer under test, served by this module's bundle and URLconf."""
    CALLS.update(date_validator=0, response=0)
    CREATED.clear()
    with override_settings(VERSIONING_APP={"VERSIONS": BUNDLE}, ROOT_URLCONF=__name__):
        yield ShelfBookSerializer


@pytest.fixture
def book() -> Book:
    """A book by Ada Lovelace, 412 pages."""
    return BookFactory(
        title="Notes",
        authors=[AuthorFactory(name="Ada Lovelace")],
        isbn13="9790000000018",  # 979: never one of BookFactory's 978 sequence
        pages=412,
        language="fr",
        publication_date=datetime.date(1843, 1, 1),
    )


def get(api: APIClient, version: str, suffix: str = "") -> Any:
    """GET ``/api/v<major>/shelf/<suffix>`` pinned to ``version``."""
    major = version.split(".")[0]
    response = api.get(f"/api/v{major}/shelf/{suffix}", headers={"API-Version": version})
    assert response.status_code == 200, response.content
    return response.json()


def post(api: APIClient, version: str, body: dict[str, Any]) -> Any:
    """POST to the shelf of ``version``."""
    major = version.split(".")[0]
    return api.post(f"/api/v{major}/shelf/", body, format="json", headers={"API-Version": version})


def body_for(version: str, **overrides: Any) -> dict[str, Any]:
    """A valid create body in ``version``'s shape."""
    number = VersionNumber.parse(version)
    name_key = "title" if number >= VersionNumber(2, 0) else "name"
    writer_key = "name" if number >= VersionNumber(2, 0) else "label"
    body: dict[str, Any] = {
        name_key: "Essay",
        "authors": [{writer_key: "  Mary Shelley "}],
        "publication_date": "1818-01-01",
        "pages": "120 pages" if number < VersionNumber(1, 1) else 120,
        "language": "en",
    }
    if number >= VersionNumber(3, 0):
        body["isbn13"] = isbn13(77)
    return {**body, **overrides}


def test_head_is_untouched(api: APIClient, book: Book) -> None:
    data = get(api, "3.0", f"{book.pk}/")
    assert data == {
        "id": book.pk,
        "title": "Notes",
        "authors": [{"id": book.authors.get().pk, "name": "Ada Lovelace"}],
        "publication_date": "1843-01-01",
        "isbn13": "9790000000018",
        "pages": 412,
        "language": "fr",
    }
    assert CALLS["response"] == 0


def test_multi_step_response_chain_in_the_oldest_version(api: APIClient, book: Book) -> None:
    data = get(api, "1.0", f"{book.pk}/")
    # 3.0's migration ran first ("!"), then 2.1's ("[...]"), both on the key they know as
    # "title", which 1.0 calls "name"; pages went through the 1.1 type change; the nested
    # writer is renamed and migrated too.
    assert data == {
        "id": book.pk,
        "name": "[Notes!]",
        "authors": [{"id": book.authors.get().pk, "label": "Ada Lovelace", "initials": "AL"}],
        "publication_date": "1843-01-01",
        "pages": "412 pages",
        "language": "fr",
    }


@pytest.mark.parametrize(
    ("version", "title", "pages"),
    [("1.2", "[Notes!]", 412), ("2.0", "[Notes!]", 412), ("2.1", "Notes!", 412)],
)
def test_each_version_stops_where_its_changes_stop(
    api: APIClient, book: Book, version: str, title: str, pages: int
) -> None:
    data = get(api, version, f"{book.pk}/")
    assert data[("title" if version >= "2.0" else "name")] == title
    assert data["pages"] == pages
    writer = data["authors"][0]
    assert set(writer) == ({"id", "name"} if version >= "2.0" else {"id", "label", "initials"})


def test_paginated_list_applies_the_chain_to_every_item(api: APIClient, book: Book) -> None:
    BookFactory(title="Second", pages=7)
    first = get(api, "1.0")
    second = get(api, "1.0", "?page=2")
    assert first["count"] == 2
    assert first["next"] is not None
    assert first["results"][0]["name"] == "[Notes!]"
    assert first["results"][0]["authors"][0]["initials"] == "AL"
    assert second["results"][0]["name"] == "[Second!]"
    assert second["results"][0]["pages"] == "7 pages"


def test_one_validation_pass_and_head_shaped_data(api: APIClient, admin_user: Any) -> None:
    api.force_authenticate(admin_user)
    response = post(api, "1.0", body_for("1.0", language="it"))
    assert response.status_code == 201, response.json()
    assert CALLS["date_validator"] == 1
    # head's create() got head's names and types, migrated oldest first (-a, then -b).
    received = CREATED
    assert received == [
        {
            "title": "Essay-a-b",
            "authors": [{"name": "Mary Shelley"}],
            "publication_date": datetime.date(1818, 1, 1),
            "pages": 120,
            "language": "en",
        }
    ]
    book = Book.objects.get()
    assert (book.title, book.pages, book.language) == ("Essay-a-b", 120, "en")
    assert response.json()["name"] == "[Essay-a-b!]"
    assert response.json()["pages"] == "120 pages"


def test_request_chain_starts_at_the_served_version(api: APIClient, admin_user: Any) -> None:
    api.force_authenticate(admin_user)
    response = post(api, "2.1", body_for("2.1"))
    assert response.status_code == 201
    assert CREATED[0]["title"] == "Essay-b"


def test_type_change_conversion_failure_is_a_400_on_that_field(
    api: APIClient, admin_user: Any
) -> None:
    api.force_authenticate(admin_user)
    response = post(api, "1.0", body_for("1.0", pages="many pages"))
    assert response.status_code == 400
    assert response.json() == {"pages": ["Invalid value."]}


def test_enum_choices_follow_the_version(api: APIClient, admin_user: Any) -> None:
    api.force_authenticate(admin_user)
    refused = post(api, "1.1", body_for("1.1", language="es"))
    assert refused.status_code == 400
    assert set(refused.json()) == {"language"}
    assert post(api, "1.2", body_for("1.2", language="es")).status_code == 201
    assert post(api, "3.0", body_for("3.0", language="it")).status_code == 400
    accepted = post(api, "1.2", body_for("1.2", language="it", name="Other"))
    assert accepted.status_code == 201
    assert Book.objects.get(pk=accepted.json()["id"]).language == "en"


def test_migration_validation_error_is_a_400_in_the_served_names(
    api: APIClient, admin_user: Any
) -> None:
    api.force_authenticate(admin_user)
    response = post(api, "1.0", body_for("1.0", name="forbidden"))
    assert response.status_code == 400
    assert response.json() == {"name": ["This title is forbidden."]}
    assert not Book.objects.exists()


def test_failure_after_a_migration_rolls_its_writes_back(api: APIClient, admin_user: Any) -> None:
    api.force_authenticate(admin_user)
    response = post(api, "2.1", body_for("2.1", title="boom"))
    assert response.status_code == 400
    assert not Author.objects.filter(name__startswith="side effect").exists()
    assert not Book.objects.exists()


def test_validation_errors_of_nested_fields_use_old_names(api: APIClient, admin_user: Any) -> None:
    api.force_authenticate(admin_user)
    response = post(api, "1.0", body_for("1.0", authors=[{"name": "wrong key"}]))
    assert response.status_code == 400
    errors = response.json()["authors"]
    # DRF 3.18 keys a list's item errors by index ({"0": ...}); older releases send a list.
    first = errors["0"] if isinstance(errors, dict) else errors[0]
    assert set(response.json()) == {"authors"}
    assert first == {"label": ["This field is required."]}


def test_chain_is_prepared_once_per_serializer_and_version(shelf: Any) -> None:
    bundle = app_settings.versions
    first = chain_for(bundle, shelf, VersionNumber(1, 0))
    assert first is chain_for(bundle, shelf, VersionNumber(1, 0))
    assert first is chain_for(bundle, shelf, VersionNumber.parse("1.0.0"))
    assert chain_for(bundle, shelf, VersionNumber(3, 0)) is None


def test_chains_live_and_die_with_their_bundle(shelf: Any) -> None:
    other = bundle_for(WriterSerializer, shelf)
    chain = chain_for(other, shelf, VersionNumber(1, 0))
    assert chain is not None and chain is not chain_for(BUNDLE, shelf, VersionNumber(1, 0))
    assert has_changes(other, shelf)
    freed = weakref.ref(other)
    del other, chain
    gc.collect()
    assert freed() is None  # nothing process-wide keeps a bundle (a test's, a reloaded one)


def test_fields_are_fresh_per_serializer_instance(shelf: Any, book: Book) -> None:
    one = serializer_for(shelf, book, version="1.0")
    two = serializer_for(shelf, book, version="1.0")
    assert one.fields["name"] is not two.fields["name"]
    assert one.fields["name"].source == "title"


def test_serialize_outside_http(shelf: Any, book: Book) -> None:
    other = BookFactory(pages=9)
    many = serialize(shelf, Book.objects.order_by("pk"), version="1.1")
    assert [item["name"] for item in many] == ["[Notes!]", f"[{other.title}!]"]
    one = serialize(shelf, book, version="1.0")
    assert one["pages"] == "412 pages"
    assert serialize(shelf, book, version="3.0")["title"] == "Notes"


def test_every_item_of_a_list_gets_the_whole_chain(shelf: Any, book: Book) -> None:
    # The first item builds each serializer's fields; the later items take a shorter way
    # to the same rendering, which must not skip the response migrations.
    book.authors.add(AuthorFactory(name="Charles Babbage"))
    BookFactory(title="Second", authors=[AuthorFactory(name="Grace Hopper")], pages=7)
    books = Book.objects.order_by("pk").prefetch_related("authors")
    old = serialize(shelf, books, version="1.0")
    assert [item["name"] for item in old] == ["[Notes!]", "[Second!]"]
    assert [sorted(a["initials"] for a in item["authors"]) for item in old] == [
        ["AL", "CB"],
        ["GH"],
    ]
    head = serialize(shelf, books, version="3.0")
    assert [item["title"] for item in head] == ["Notes", "Second"]
    assert [sorted(a["name"] for a in item["authors"]) for item in head] == [
        ["Ada Lovelace", "Charles Babbage"],
        ["Grace Hopper"],
    ]


@pytest.mark.parametrize("version", ["3.0", "2.1", "1.0"])
def test_a_subclass_to_representation_runs_for_every_item(
    shelf: Any, book: Book, version: str
) -> None:
    BookFactory(title="Second")

    class StampedSerializer(shelf):  # type: ignore[misc, valid-type]
        class Meta(shelf.Meta):  # type: ignore[name-defined]
            pass

        def to_representation(self, instance: Book) -> dict[str, Any]:
            return {**super().to_representation(instance), "stamp": instance.pk}

    books = Book.objects.order_by("pk")
    items = serialize(StampedSerializer, books, version=version)
    assert [item["stamp"] for item in items] == [b.pk for b in books]


def test_a_serializer_that_no_version_changes_serves_head_everywhere(
    shelf: Any, book: Book
) -> None:
    class UnchangedWriterSerializer(*shelf.__bases__):  # type: ignore[misc]
        class Meta:
            model = Author
            fields = ["id", "name"]

    bundle = app_settings.versions
    assert has_changes(bundle, shelf)
    assert not has_changes(bundle, UnchangedWriterSerializer)
    author = book.authors.get()
    for version in ("1.0", "2.1", "3.0"):
        data = serialize(UnchangedWriterSerializer, author, version=version)
        assert data == {"id": author.pk, "name": "Ada Lovelace"}


def test_serialize_refuses_an_undeclared_version(shelf: Any, book: Book) -> None:
    with pytest.raises(ValueError, match="not declared"):
        serialize(shelf, book, version="9.9")


def test_api_version_context_overrides_nothing_when_absent(shelf: Any, book: Book) -> None:
    assert shelf(book).data["title"] == "Notes"  # no version: head
    with pytest.raises(ImproperlyConfigured):
        shelf(book, context={"api_version": "banana"}).data  # noqa: B018


def test_both_declarations_are_versioned(shelf: Any) -> None:
    # The base class is the mixin on a ModelSerializer; declaring that by hand is the same.
    assert VersionedModelSerializer.__mro__[1] is VersionedSerializerMixin
    for declared in (
        (WriterSerializer, ShelfBookSerializer),
        declare(VersionedSerializerMixin, serializers.ModelSerializer),
    ):
        assert all(is_versioned(cls) for cls in declared)
        assert is_versioned(declared[1]())
    assert not is_versioned(serializers.ModelSerializer)
    assert not is_versioned(object())


def item(errors: Any, index: int) -> Any:
    """A list's errors for item ``index``: DRF 3.18 keys them by index, older releases list them."""
    return errors[str(index)] if isinstance(errors, dict) else errors[index]


def post_bulk(api: APIClient, version: str, items: list[dict[str, Any]]) -> Any:
    """POST several books at once to the shelf of ``version``."""
    major = version.split(".")[0]
    return api.post(
        f"/api/v{major}/shelf/bulk/", items, format="json", headers={"API-Version": version}
    )


@pytest.mark.parametrize(("version", "key"), [("1.0", "name"), ("2.0", "title")])
def test_validate_errors_on_a_renamed_field_use_the_served_name(
    api: APIClient, admin_user: Any, version: str, key: str
) -> None:
    api.force_authenticate(admin_user)
    response = post(api, version, body_for(version, **{key: "Untitled"}))
    assert response.status_code == 400
    assert response.json() == {key: ["A book needs a real title."]}


def test_validate_non_field_errors_stay_non_field_errors(api: APIClient, admin_user: Any) -> None:
    api.force_authenticate(admin_user)
    response = post(api, "1.0", body_for("1.0", name="Anonymous"))
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["A book needs an author."]}


def test_a_validate_error_on_a_field_the_version_lacks_is_a_non_field_error(
    api: APIClient, admin_user: Any
) -> None:
    # isbn13 arrives in 3.0: a 2.1 client never sees that name, only the message.
    api.force_authenticate(admin_user)
    response = post(api, "2.1", body_for("2.1", title="No ISBN"))
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Not in this shop.", "An ISBN is needed."]}
    assert not Book.objects.exists()


def test_nested_validate_errors_use_the_nested_serializers_served_names(
    api: APIClient, admin_user: Any
) -> None:
    api.force_authenticate(admin_user)
    authors = [{"label": "Mary Shelley"}, {"label": "Nobody"}]
    response = post(api, "1.0", body_for("1.0", authors=authors))
    assert response.status_code == 400
    assert set(response.json()) == {"authors"}
    assert item(response.json()["authors"], 1) == {"label": ["Nobody is not a writer."]}


def test_a_migration_error_uses_the_served_name_of_a_rename_beside_it(
    api: APIClient, admin_user: Any
) -> None:
    # italian_is_english is declared on 2.0 with the rename name -> title, and says "title".
    api.force_authenticate(admin_user)
    response = post(api, "1.2", body_for("1.2", name="Inferno", language="it"))
    assert response.status_code == 400
    assert response.json() == {"name": ["No English edition of this title."]}
    assert not Book.objects.exists()


def test_nested_list_migration_errors_are_per_item_in_served_names(
    api: APIClient, admin_user: Any
) -> None:
    api.force_authenticate(admin_user)
    authors = [{"label": "Mary Shelley"}, {"label": "Anonymous"}]
    response = post(api, "1.0", body_for("1.0", authors=authors))
    assert response.status_code == 400
    errors = response.json()["authors"]
    assert item(errors, 1) == {"label": ["Writers sign their books."]}
    assert not Book.objects.exists()


def test_bulk_write_migrates_every_item_and_the_next_major_serves_head_values(
    api: APIClient, admin_user: Any
) -> None:
    api.force_authenticate(admin_user)
    items = [body_for("1.0", name=name, language="it") for name in ("First", "Second")]
    response = post_bulk(api, "1.0", items)
    assert response.status_code == 201, response.json()
    # Each item went through the whole request chain: types, enum mapping, -a then -b.
    assert [(c["title"], c["language"], c["pages"]) for c in CREATED] == [
        ("First-a-b", "en", 120),
        ("Second-a-b", "en", 120),
    ]
    assert [(b.title, b.language) for b in Book.objects.order_by("id")] == [
        ("First-a-b", "en"),
        ("Second-a-b", "en"),
    ]
    # Answered in 1.0's shape...
    assert [(b["name"], b["pages"]) for b in response.json()] == [
        ("[First-a-b!]", "120 pages"),
        ("[Second-a-b!]", "120 pages"),
    ]
    # ...and 2.x, where `it` is gone, serves values of its own enum.
    listed = get(api, "2.1")["results"] + get(api, "2.1", "?page=2")["results"]
    assert [book["language"] for book in listed] == ["en", "en"]


def test_bulk_write_at_head_is_plain_drf(api: APIClient, admin_user: Any) -> None:
    api.force_authenticate(admin_user)
    response = post_bulk(api, "3.0", [body_for("3.0", language="fr")])
    assert response.status_code == 201, response.json()
    assert CREATED[0]["title"] == "Essay"
    assert Book.objects.get().language == "fr"


def test_bulk_write_errors_are_per_item_in_the_served_names(
    api: APIClient, admin_user: Any
) -> None:
    api.force_authenticate(admin_user)
    items = [body_for("1.0", name="Fine"), body_for("1.0", name="Untitled")]
    response = post_bulk(api, "1.0", items)
    assert response.status_code == 400
    assert item(response.json(), 1) == {"name": ["A book needs a real title."]}
    assert not Book.objects.exists()


def test_bulk_write_migration_errors_store_nothing(api: APIClient, admin_user: Any) -> None:
    # The first item's migrations write to the database (suffix_b); the second item's refuse:
    # both roll back, and the error names the second item in 1.2's names.
    api.force_authenticate(admin_user)
    items = [body_for("1.2", name="Fine"), body_for("1.2", name="Inferno", language="it")]
    response = post_bulk(api, "1.2", items)
    assert response.status_code == 400
    assert item(response.json(), 1) == {"name": ["No English edition of this title."]}
    assert not Book.objects.exists()
    assert not Author.objects.filter(name__startswith="side effect").exists()

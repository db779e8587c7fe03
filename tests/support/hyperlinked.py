"""A small hyperlinked API over two majors: books link to themselves and to their authors.

Served by ``tests.support.urlconfs.hyperlinked`` with ``HYPERLINKED_SETTINGS``. 1.x calls
``publication_date`` ``published``. While they handle a request of whatever version the URL
names, the ``webhook`` action renders a book at 1.0 with ``serialize()`` and the ``replay``
action creates one from a 1.0 payload with ``serializer_for()``.
"""

from __future__ import annotations

from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tests.testapp.models import Author, Book
from versioning_app import Version, VersionBundle, serialize, serializer_for
from versioning_app.changes import FieldRenamed
from versioning_app.serializers import VersionedSerializerMixin


class LinkedAuthorSerializer(VersionedSerializerMixin, serializers.HyperlinkedModelSerializer):
    """An author and its own URL."""

    class Meta:
        model = Author
        fields = ["url", "name"]


class LinkedBookSerializer(VersionedSerializerMixin, serializers.HyperlinkedModelSerializer):
    """A book, its own URL and its authors' URLs (``author-detail``), writable."""

    class Meta:
        model = Book
        fields = ["url", "title", "authors", "publication_date", "isbn13"]


class LinkedAuthorViewSet(viewsets.ReadOnlyModelViewSet):
    """Authors, read-only: the target of the books' author links."""

    queryset = Author.objects.all()
    serializer_class = LinkedAuthorSerializer


class LinkedBookViewSet(viewsets.ModelViewSet):
    """Books with hyperlinks; ``webhook`` and ``replay`` handle 1.0 payloads in any version."""

    queryset = Book.objects.prefetch_related("authors")
    serializer_class = LinkedBookSerializer

    @action(detail=True, methods=["get"])
    def webhook(self, request: Request, pk: str | None = None) -> Response:
        """The book as a client pinned to 1.0 receives it, rendered during this request."""
        book = self.get_object()
        return Response(
            serialize(LinkedBookSerializer, book, version="1.0", context={"request": request})
        )

    @action(detail=False, methods=["post"])
    def replay(self, request: Request) -> Response:
        """Create a book from a queued 1.0 payload; answer in this request's version."""
        incoming = serializer_for(
            LinkedBookSerializer, data=request.data, version="1.0", context={"request": request}
        )
        incoming.is_valid(raise_exception=True)
        book = incoming.save()
        return Response(self.get_serializer(book).data, status=201)


HYPERLINKED = VersionBundle(
    Version("1.0"),
    Version("2.0", FieldRenamed(LinkedBookSerializer, "published", "publication_date")),
)

HYPERLINKED_SETTINGS = {
    "ROOT_URLCONF": "tests.support.urlconfs.hyperlinked",
    "VERSIONING_APP": {"VERSIONS": "tests.support.hyperlinked.HYPERLINKED"},
}

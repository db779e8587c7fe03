"""The same library endpoints twice: plain DRF (no versioning) and through versioning_app.

Each side has a URLconf of its own (``select_urlconf`` picks it per request), so that neither
pays for trying the other's routes first: in one URLconf, whichever side came second would
resolve one failed include more per request, about 1% of a detail request.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.urls import include, path
from rest_framework import serializers
from rest_framework.routers import DefaultRouter, SimpleRouter

from example_project.library.models import Author, Book
from example_project.library.serializers import validate_isbn13
from example_project.library.urls import router as versioned_router
from example_project.library.views import AuthorViewSet, BookViewSet
from versioning_app.routing import versioned_urls


class PlainBookAuthorSerializer(serializers.ModelSerializer):
    """The head author-in-a-book serializer, declared alike but without versioning_app's mixin."""

    class Meta:
        model = Author
        fields = ["id", "name"]
        extra_kwargs = {"name": {"validators": []}}


class PlainBookSerializer(serializers.ModelSerializer):
    """The head book serializer, declared alike but without the mixin: what plain DRF runs."""

    authors = PlainBookAuthorSerializer(many=True, allow_empty=False)
    isbn13 = serializers.CharField(validators=[validate_isbn13])

    class Meta:
        model = Book
        fields = ["id", "title", "authors", "publication_date", "isbn13", "language"]


class PlainBook11Serializer(serializers.ModelSerializer):
    """Version 1.1's book shape written by hand in plain DRF: the baseline for 1.1."""

    author_name = serializers.SerializerMethodField()
    published = serializers.DateField(source="publication_date")
    isbn = serializers.CharField(source="isbn13")

    class Meta:
        model = Book
        fields = ["id", "title", "author_name", "published", "isbn", "pages"]

    def get_author_name(self, book: Book) -> str | None:
        """The first author's name, as 1.x shows it."""
        authors = list(book.authors.all())
        return authors[0].name if authors else None


class PlainBook11ViewSet(BookViewSet):
    """Plain DRF serving the hand-written 1.1 shape."""

    versioning_class = None
    serializer_class = PlainBook11Serializer


class PlainBookViewSet(BookViewSet):
    """The example's book viewset, plain DRF: no versioning, serializers without the mixin."""

    versioning_class = None
    serializer_class = PlainBookSerializer


class PlainAuthorViewSet(AuthorViewSet):
    """The example's author viewset without DRF versioning (for the schema generation pair)."""

    versioning_class = None


# The project without versioning_app: the example's router (a DefaultRouter: API root and
# format-suffix routes, books and authors), so that URL resolution does the same work.
plain_router = DefaultRouter()
plain_router.register("books", PlainBookViewSet, basename="plain-book")
plain_router.register("authors", PlainAuthorViewSet, basename="plain-author")
plain_router.register("v1.1/books", PlainBook11ViewSet, basename="plain-book-11")

plain_urlpatterns = [path("plain/", include(plain_router.urls))]

# The versioned side, mounted the way the README and the example project mount it.
urlpatterns = [
    *versioned_urls(versioned_router.urls, prefix="api/"),
    path("api/", include("versioning_app.urls")),
]


class PlainURLconf:
    """A URLconf module stand-in for the plain side (Django accepts any object with urlpatterns)."""

    urlpatterns = plain_urlpatterns


class VersionedURLconf:
    """The versioned side's URLconf stand-in, so both sides take the same path through Django."""

    urlpatterns = urlpatterns


plain_urlconf, versioned_urlconf = PlainURLconf(), VersionedURLconf()


def select_urlconf(
    get_response: Callable[[HttpRequest], HttpResponseBase],
) -> Callable[[HttpRequest], HttpResponseBase]:
    """Middleware: route ``/plain/`` requests through the plain URLconf, the rest through ours."""

    def middleware(request: HttpRequest) -> HttpResponseBase:
        plain = request.path_info.startswith("/plain/")
        request.urlconf = plain_urlconf if plain else versioned_urlconf  # type: ignore[attr-defined]
        return get_response(request)

    return middleware


# The baseline of the schema-generation pair: 2.x's endpoints (books and authors), plain.
schema_router = SimpleRouter()
schema_router.register("books", PlainBookViewSet, basename="schema-book")
schema_router.register("authors", PlainAuthorViewSet, basename="schema-author")
schema_baseline_patterns = [path("plain/", include(schema_router.urls))]

"""The same library endpoints twice: plain DRF (no versioning) and through versioning_app.

Each side has a URLconf of its own (``select_urlconf`` picks it per request from the path's
first eight characters, one dict lookup whichever the side), so that neither pays for trying
the other's routes first. The plain URLconfs hold the routes of the version they stand for,
in the order our namespace for that major tries them, so URL resolution does the same work on
both sides up to the namespace (our mount, ``api/v3/ api/v2/ api/v1/ ...``, is ours to pay).
Only the versioned side passes through ``VersioningMiddleware`` (``versioned_side_only``): a
project without versioning_app does not run it.
"""

from collections.abc import Callable, Sequence

from django.http import HttpRequest, HttpResponseBase
from django.urls import URLPattern, URLResolver, include, path
from django_filters import CharFilter, DateFilter, FilterSet, OrderingFilter
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters, serializers
from rest_framework.routers import DefaultRouter, SimpleRouter

from example_project.library.models import Author, Book
from example_project.library.serializers import validate_isbn13
from example_project.library.urls import router as versioned_router
from example_project.library.views import AuthorViewSet, BookViewSet
from versioning_app.middleware import VersioningMiddleware
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


class PlainBook11Filter(FilterSet):
    """Version 1.1's filters and ordering terms written by hand with django-filter."""

    published = DateFilter(field_name="publication_date")
    published__gte = DateFilter(field_name="publication_date", lookup_expr="gte")
    published__lte = DateFilter(field_name="publication_date", lookup_expr="lte")
    isbn = CharFilter(field_name="isbn13")
    ordering = OrderingFilter(fields=(("title", "title"), ("publication_date", "published")))


class PlainBook11ViewSet(BookViewSet):
    """Plain DRF serving the hand-written 1.1 shape (with 1.x's ``similar`` action), filters
    and ordering terms included."""

    versioning_class = None
    serializer_class = PlainBook11Serializer
    filter_backends = [DjangoFilterBackend, filters.SearchFilter]
    filterset_class = PlainBook11Filter


class PlainBookViewSet(BookViewSet):
    """The example's book viewset as 2.x/3.0 serve it, plain DRF: no versioning, no mixin.

    ``similar`` was removed in 2.0: without it the plain side routes, and documents, exactly
    the book endpoints that 2.1 and 3.0 serve.
    """

    versioning_class = None
    serializer_class = PlainBookSerializer
    similar = None  # type: ignore[assignment]


class PlainAuthorViewSet(AuthorViewSet):
    """The example's author viewset without DRF versioning."""

    versioning_class = None


URLEntry = URLPattern | URLResolver

# The versioned side, mounted the way the README and the example project mount it.
urlpatterns = [
    *versioned_urls(versioned_router.urls, prefix="api/"),
    path("api/", include("versioning_app.urls")),
]


def _namespace_order(major: int) -> list[str]:
    """The route regexes of our namespace for ``major``, in the order it tries them."""
    namespace = next(e for e in urlpatterns if str(e.pattern) == f"api/v{major}/")
    assert isinstance(namespace, URLResolver)
    return [str(entry.pattern) for entry in namespace.url_patterns]


def _like_major(plain: Sequence[URLEntry], major: int) -> list[URLEntry]:
    """``plain``'s routes in our namespace's order; a route the namespace lacks is an error."""
    order = _namespace_order(major)
    missing = [str(entry.pattern) for entry in plain if str(entry.pattern) not in order]
    if missing:
        raise AssertionError(f"plain routes absent from api/v{major}/: {missing}")
    return sorted(plain, key=lambda entry: order.index(str(entry.pattern)))


# The project without versioning_app, as head (3.0) serves it: the example's DefaultRouter
# (API root and format-suffix routes) with the same registrations.
plain_router = DefaultRouter()
plain_router.register("books", PlainBookViewSet, basename="plain-book")
plain_router.register("authors", PlainAuthorViewSet, basename="plain-author")
# The project without versioning_app, as 1.1 serves it: books (with ``similar``), no authors.
plain_11_router = DefaultRouter()
plain_11_router.register("books", PlainBook11ViewSet, basename="plain-book-11")

PLAIN_HEAD_PREFIX, PLAIN_11_PREFIX = "/plain3/", "/plain1/"


class PlainURLconf:
    """A URLconf module stand-in for plain head (Django accepts any object with urlpatterns)."""

    urlpatterns = [path(PLAIN_HEAD_PREFIX[1:], include(_like_major(plain_router.urls, 3)))]


class Plain11URLconf:
    """A URLconf module stand-in for the plain 1.1 project."""

    urlpatterns = [path(PLAIN_11_PREFIX[1:], include(_like_major(plain_11_router.urls, 1)))]


class VersionedURLconf:
    """The versioned side's URLconf stand-in, so both sides take the same path through Django."""

    urlpatterns = urlpatterns


plain_urlconf, plain_11_urlconf, versioned_urlconf = (
    PlainURLconf(),
    Plain11URLconf(),
    VersionedURLconf(),
)
_URLCONFS = {PLAIN_HEAD_PREFIX: plain_urlconf, PLAIN_11_PREFIX: plain_11_urlconf}


def select_urlconf(
    get_response: Callable[[HttpRequest], HttpResponseBase],
) -> Callable[[HttpRequest], HttpResponseBase]:
    """Middleware: route the plain prefixes through their plain URLconfs, the rest through ours."""

    def middleware(request: HttpRequest) -> HttpResponseBase:
        request.urlconf = _URLCONFS.get(request.path_info[:8], versioned_urlconf)  # type: ignore[attr-defined]
        return get_response(request)

    return middleware


def versioned_side_only(
    get_response: Callable[[HttpRequest], HttpResponseBase],
) -> Callable[[HttpRequest], HttpResponseBase]:
    """Middleware in ``VersioningMiddleware``'s place: it runs for the versioned side only.

    Both sides pay for this one call; before, the plain side also ran our middleware (its
    header writer and usage recorder, which found no decision and returned).
    """
    versioning = VersioningMiddleware(get_response)

    def middleware(request: HttpRequest) -> HttpResponseBase:
        if request.urlconf is versioned_urlconf:  # type: ignore[attr-defined]
            return versioning(request)  # type: ignore[return-value]
        return get_response(request)

    return middleware


# The baseline of the schema-generation pair: 2.1's endpoints (books and authors, no
# ``similar``), plain; the pair checks that both documents hold the same operations.
schema_router = SimpleRouter()
schema_router.register("books", PlainBookViewSet, basename="schema-book")
schema_router.register("authors", PlainAuthorViewSet, basename="schema-author")
schema_baseline_patterns = [path("plain/", include(schema_router.urls))]

"""A small catalog API of the suite's own whose query parameters change across versions.

Head (3.0) filters books by ``name`` (the title), ``pages`` and ``publication_date``, orders by
``name``, ``pages`` and ``publication_date``, searches with ``search`` and pages with ``page``
(and ``page_size`` from 3.0). Version 1.0 called the title ``title`` and counted ``pages`` in
leaves (two pages each): derived from the serializer's field changes. It also searched with
``q``, paged with ``p`` from zero, and had ``year``: declared query changes of 2.0.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import F
from django.urls import include, path
from django_filters import CharFilter, FilterSet, ModelChoiceFilter
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters, generics, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from tests.testapp.models import Author, Book
from versioning_app import (
    FieldRenamed,
    FieldTypeChanged,
    QueryParamAdded,
    QueryParamRemoved,
    QueryParamRenamed,
    QueryParamTypeChanged,
    Version,
    VersionBundle,
    VersionedModelSerializer,
)
from versioning_app.routing import versioned_urls


class CatalogSerializer(VersionedModelSerializer):
    """A book in the catalog, in head's shape."""

    name = serializers.CharField(source="title")

    class Meta:
        model = Book
        fields = ["id", "name", "pages", "publication_date"]


class CatalogFilter(FilterSet):
    """Head's filters."""

    name = CharFilter(field_name="title")
    name__icontains = CharFilter(field_name="title", lookup_expr="icontains")
    # Validated by django-filter itself (a model choice), not by the query translation.
    author = ModelChoiceFilter(field_name="authors", queryset=Author.objects.all())

    class Meta:
        model = Book
        fields = {
            "pages": ["exact", "gte", "lte", "in", "isnull"],
            "publication_date": ["gte", "lte"],
        }


class CatalogPagination(PageNumberPagination):
    """Two books a page; the client may ask for more (from 3.0)."""

    page_size = 2
    page_size_query_param = "page_size"


class CatalogView(generics.ListAPIView):
    """The catalog: filtered, ordered, searched and paged."""

    queryset = Book.objects.annotate(name=F("title")).order_by("id")
    serializer_class = CatalogSerializer
    permission_classes = [AllowAny]
    pagination_class = CatalogPagination
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter, filters.SearchFilter]
    filterset_class = CatalogFilter
    ordering_fields = ["name", "pages", "publication_date"]
    search_fields = ["title"]


class EchoView(CatalogView):
    """What view code reads: head's query parameters, and the client's own."""

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Both query dicts, as lists."""
        return Response(
            {
                "query_params": dict(request.query_params.lists()),
                "client_query_params": dict(request.client_query_params.lists()),
            }
        )


def leaves_to_pages(leaves: int) -> int:
    """1.0 counted leaves: two pages each."""
    return leaves * 2


def pages_to_leaves(pages: int) -> int:
    """Head's pages as 1.0's leaves."""
    return pages // 2


def year_to_dates(year: int) -> dict[str, Any]:
    """1.0's ``year`` is head's date range."""
    return {
        "publication_date__gte": datetime.date(year, 1, 1),
        "publication_date__lte": datetime.date(year, 12, 31),
    }


VERSIONS = VersionBundle(
    Version("1.0"),
    Version(
        "2.0",
        FieldRenamed(CatalogSerializer, "title", "name"),
        FieldTypeChanged(
            CatalogSerializer,
            "pages",
            serializers.IntegerField(min_value=0, allow_null=True),
            to_old=pages_to_leaves,
            to_new=leaves_to_pages,
        ),
        QueryParamRenamed("q", "search"),
        QueryParamRenamed("writer", "author"),
        # Going back, the type change comes first, on 2.0's name: 1.0 counted pages from 0.
        QueryParamTypeChanged(
            "page",
            serializers.IntegerField(min_value=0),
            to_old=lambda number: number - 1,
            to_new=lambda number: number + 1,
            new_field=serializers.IntegerField(min_value=1),
        ),
        QueryParamRenamed("p", "page"),
        QueryParamRemoved(
            "year", serializers.IntegerField(min_value=1, max_value=9999), to_head=year_to_dates
        ),
    ),
    Version("3.0", QueryParamAdded("page_size")),
)

urlpatterns = [
    *versioned_urls(
        [
            path("catalog/", CatalogView.as_view(), name="catalog"),
            path("echo/", EchoView.as_view(), name="echo"),
        ],
        prefix="api/",
    ),
    path("api/", include("versioning_app.urls")),
]

SETTINGS = {
    "ROOT_URLCONF": "tests.support.queried",
    "VERSIONING_APP": {"VERSIONS": "tests.support.queried.VERSIONS"},
}

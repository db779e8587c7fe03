"""Head viewsets: one implementation serves every version."""

from __future__ import annotations

from django.db.models import QuerySet
from django_filters import FilterSet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import filters, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from .models import Author, Book
from .serializers import AuthorSerializer, BookSerializer

# A primary key is a positive 64-bit integer: a longer id cannot name a row, and before
# Django 5.0 SQLite raised OverflowError (a 500) on such a lookup. It does not match the route,
# so it gets the API's problem+json 404.
PK_REGEX = r"[0-9]{1,18}"


class BookFilter(FilterSet):
    """Head's book filters; older versions' names come from the serializer's field changes."""

    class Meta:
        model = Book
        fields = {"publication_date": ["exact", "gte", "lte"], "isbn13": ["exact"]}


class BookViewSet(viewsets.ModelViewSet):
    """Books: list, create, read, update, delete; ``similar`` in 1.x only."""

    queryset = Book.objects.prefetch_related("authors")
    serializer_class = BookSerializer
    lookup_value_regex = PK_REGEX
    # In 1.x the date is ``published`` (filters, lookups and ordering term alike), in 1.x and
    # 2.x the ISBN filter is ``isbn``: derived from the FieldRenamed changes in versions.py.
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter, filters.SearchFilter]
    filterset_class = BookFilter
    ordering_fields = ["title", "publication_date"]
    search_fields = ["title"]

    # A list of books, paginated as the list is: documented as such (a ``many`` serializer
    # makes drf-spectacular add the pagination envelope and the ``page`` parameter), not as
    # the one Book a detail action is documented with by default.
    @extend_schema(responses=BookSerializer(many=True))
    @action(detail=True, methods=["get"])
    def similar(self, request: Request, pk: str | None = None) -> Response:
        """Other books by the same authors."""
        book = self.get_object()
        # Filtered, ordered and searched as the list is: documented with the list's parameters.
        others: QuerySet[Book] = self.filter_queryset(
            self.get_queryset()
            .filter(authors__in=book.authors.all())
            .exclude(pk=book.pk)
            .distinct()
        )
        page = self.paginate_queryset(others)
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)


class AuthorViewSet(viewsets.ModelViewSet):
    """Authors, from 2.0 on."""

    queryset = Author.objects.all()
    serializer_class = AuthorSerializer
    lookup_value_regex = PK_REGEX

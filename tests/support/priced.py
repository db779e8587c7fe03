"""A small priced-item API of the suite's own: a method field and a renamed field retyped.

Head (2.0) serves ``price`` as a decimal and ``total`` (a ``SerializerMethodField``) as a
decimal; 1.0 served integer cents as ``price_cents`` and ``total``. Items live in memory,
so the tests need no database: GET renders ``ITEM``, POST answers the validated data in
head's shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.urls import include, path
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from versioning_app import Version, VersionBundle
from versioning_app.changes import FieldRenamed, FieldTypeChanged
from versioning_app.routing import versioned_urls
from versioning_app.serializers import VersionedSerializer


@dataclass
class Item:
    """What the API serves: a price and a quantity."""

    name: str
    price: Decimal
    quantity: int


ITEM = Item(name="pen", price=Decimal("1.25"), quantity=3)


class ItemSerializer(VersionedSerializer):
    """An item, in head's shape."""

    name = serializers.CharField()
    price = serializers.DecimalField(max_digits=8, decimal_places=2)
    quantity = serializers.IntegerField(min_value=1)
    total = serializers.SerializerMethodField()

    def get_total(self, item: Item) -> Decimal:
        """Price times quantity."""
        return item.price * item.quantity


def to_cents(value: Decimal) -> int:
    """A decimal amount in integer cents."""
    return int(value * 100)


def from_cents(value: int) -> Decimal:
    """Integer cents as a decimal amount."""
    return Decimal(value) / 100


VERSIONS = VersionBundle(
    Version("1.0"),
    Version(
        "2.0",
        # Both name the field as 2.0 calls it: going back, the type changes, then the name.
        FieldTypeChanged(
            ItemSerializer, "price", serializers.IntegerField(), to_old=to_cents, to_new=from_cents
        ),
        FieldRenamed(ItemSerializer, "price_cents", "price"),
        FieldTypeChanged(
            ItemSerializer,
            "total",
            serializers.IntegerField(read_only=True),
            to_old=to_cents,
            to_new=from_cents,
        ),
    ),
)


class ItemView(generics.GenericAPIView):
    """The one item: GET renders it, POST validates one and answers head's validated data."""

    serializer_class = ItemSerializer
    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        """The item in the served version's shape."""
        return Response(self.get_serializer(ITEM).data)

    def post(self, request: Request) -> Response:
        """The validated data, in head's names and types."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        return Response({key: str(value) for key, value in data.items()}, status=201)


urlpatterns = [
    *versioned_urls([path("item/", ItemView.as_view(), name="item")], prefix="api/"),
    path("api/", include("versioning_app.urls")),
]

SETTINGS = {
    "ROOT_URLCONF": "tests.support.priced",
    "VERSIONING_APP": {"VERSIONS": "tests.support.priced.VERSIONS"},
}

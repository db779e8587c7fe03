"""Type changes the chain must honour: a retyped method field, a field renamed and retyped.

Served through the test client by the suite's own priced-item API (tests.support.priced).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client, override_settings
from rest_framework import serializers

from tests.support.priced import ITEM, SETTINGS, VERSIONS, ItemSerializer, from_cents, to_cents
from versioning_app import Version, VersionBundle
from versioning_app.changes import FieldRenamed, FieldTypeChanged
from versioning_app.checks import check_bundle

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def priced_api() -> Any:
    with override_settings(**SETTINGS):
        yield


def _post(client: Client, major: int, payload: dict[str, Any]) -> Any:
    return client.post(f"/api/v{major}/item/", payload, content_type="application/json")


def _item_component(client: Client, version: str) -> dict[str, Any]:
    response = client.get(f"/api/schema/{version}/?format=json")
    assert response.status_code == 200
    component: dict[str, Any] = response.json()["components"]["schemas"]["Item"]
    return component


def test_a_retyped_method_field_converts_the_methods_value(client: Client) -> None:
    old = client.get("/api/v1/item/")
    assert old.status_code == 200
    assert old["API-Version"] == "1.0"
    assert old.json()["total"] == 375  # 1.25 * 3, in cents
    head = client.get("/api/v2/item/")
    assert head.status_code == 200
    assert Decimal(str(head.json()["total"])) == Decimal("3.75")


def test_the_old_schema_documents_the_method_fields_old_type(client: Client) -> None:
    assert _item_component(client, "1.0")["properties"]["total"] == {
        "type": "integer",
        "readOnly": True,
    }
    assert _item_component(client, "2.0")["properties"]["total"]["type"] == "number"


def test_a_retyped_method_field_ignores_a_value_sent_for_it(client: Client) -> None:
    response = _post(client, 1, {"name": "pen", "price_cents": 125, "quantity": 2, "total": 9})
    assert response.status_code == 201
    assert "total" not in response.json()


def test_renamed_and_retyped_in_one_version_renders_both_ways(client: Client) -> None:
    old = client.get("/api/v1/item/").json()
    assert old["price_cents"] == 125
    assert "price" not in old
    head = client.get("/api/v2/item/").json()
    assert head["price"] == "1.25"
    assert "price_cents" not in head


def test_renamed_and_retyped_in_one_version_accepts_both_ways(client: Client) -> None:
    old = _post(client, 1, {"name": "pen", "price_cents": 250, "quantity": 2})
    assert old.status_code == 201
    assert old["API-Version"] == "1.0"
    assert Decimal(old.json()["price"]) == Decimal("2.50")  # head's name and type
    head = _post(client, 2, {"name": "pen", "price": "2.50", "quantity": 2})
    assert head.status_code == 201
    assert Decimal(head.json()["price"]) == Decimal("2.50")
    # Each version validates its own name and type.
    assert _post(client, 1, {"name": "pen", "price": "2.50", "quantity": 2}).json() == {
        "price_cents": ["This field is required."]
    }
    assert _post(client, 1, {"name": "pen", "price_cents": "2.5", "quantity": 2}).json() == {
        "price_cents": ["A valid integer is required."]
    }
    assert _post(client, 2, {"name": "pen", "price_cents": 250, "quantity": 2}).json() == {
        "price": ["This field is required."]
    }


def test_the_old_schema_documents_the_renamed_fields_old_type(client: Client) -> None:
    old = _item_component(client, "1.0")["properties"]
    assert old["price_cents"] == {"type": "integer"}
    assert "price" not in old
    assert _item_component(client, "2.0")["properties"]["price"]["format"] == "decimal"


def test_a_rename_with_a_type_change_is_no_conflict() -> None:
    assert check_bundle(VERSIONS) == []


def test_a_type_change_naming_the_renamed_fields_old_name_conflicts() -> None:
    old_name = VersionBundle(
        Version("1.0"),
        Version(
            "2.0",
            FieldRenamed(ItemSerializer, "price_cents", "price"),
            FieldTypeChanged(
                ItemSerializer,
                "price_cents",
                serializers.IntegerField(),
                to_old=to_cents,
                to_new=from_cents,
            ),
        ),
    )
    assert "versioning_app.E023" in {message.id for message in check_bundle(old_name)}


def test_a_renamed_method_field_keeps_its_method() -> None:
    # Under its old name DRF would look for get_amount: the chain keeps head's get_total,
    # also for a type change declared (with the old name) before the rename.
    renamed = VersionBundle(
        Version("1.0"),
        Version(
            "2.0",
            FieldTypeChanged(
                ItemSerializer,
                "amount",
                serializers.IntegerField(read_only=True),
                to_old=to_cents,
                to_new=from_cents,
            ),
        ),
        Version("3.0", FieldRenamed(ItemSerializer, "amount", "total")),
    )
    assert check_bundle(renamed) == []
    with override_settings(VERSIONING_APP={"VERSIONS": renamed}):
        served = {
            version: ItemSerializer(ITEM, context={"api_version": version}).data
            for version in ("1.0", "2.0", "3.0")
        }
    assert served["1.0"]["amount"] == 375
    assert served["2.0"]["amount"] == Decimal("3.75")
    assert "total" not in served["2.0"]
    assert served["3.0"]["total"] == Decimal("3.75")


def test_a_writable_old_method_field_stays_read_only() -> None:
    # E027 refuses the declaration; served anyway, the old version must not merge the
    # client's value into head's data through the method field's "*" source (a 500).
    writable = VersionBundle(
        Version("1.0"),
        Version(
            "2.0",
            FieldTypeChanged(
                ItemSerializer,
                "total",
                serializers.IntegerField(),
                to_old=to_cents,
                to_new=from_cents,
            ),
        ),
    )
    payload = {"name": "pen", "price": "1.25", "quantity": 2, "total": 9}
    with override_settings(VERSIONING_APP={"VERSIONS": writable}):
        serializer = ItemSerializer(data=payload, context={"api_version": "1.0"})
        assert serializer.is_valid(), serializer.errors
        assert dict(serializer.validated_data) == {
            "name": "pen",
            "price": Decimal("1.25"),
            "quantity": 2,
        }
        assert ItemSerializer(ITEM, context={"api_version": "1.0"}).data["total"] == 375

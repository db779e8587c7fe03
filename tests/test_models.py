"""The lifecycle models: strings, derived numbers, constraints, committed migrations."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from tests.support.factories import EndpointDeprecationFactory
from versioning_app.models import EndpointDeprecation, VersionLifecycle
from versioning_app.versions import VersionNumber

pytestmark = pytest.mark.django_db


def test_str_and_number() -> None:
    row = VersionLifecycle.objects.get(version="2.1")
    assert str(row) == "2.1 (stable)"
    assert row.number == VersionNumber(2, 1)
    assert (row.major, row.minor) == (2, 1)


def test_major_and_minor_follow_the_version_string() -> None:
    row = VersionLifecycle(version="12.10")
    row.save()
    assert (row.major, row.minor) == (12, 10)
    assert list(
        VersionLifecycle.objects.filter(major__gte=2).values_list("version", flat=True)
    ) == [
        "2.0",
        "2.1",
        "3.0",
        "12.10",
    ]  # fmt: skip  (numeric order, not string order)


def test_database_refuses_a_sunset_before_the_deprecation() -> None:
    row = VersionLifecycle.objects.get(version="1.0")
    row.deprecated_at = datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC)
    row.sunset_at = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


def test_endpoint_deprecation_str_and_uniqueness() -> None:
    item = EndpointDeprecationFactory()
    assert str(item) == "book-similar (all methods) from 1.0"
    assert str(EndpointDeprecationFactory(method="GET")) == "book-similar (GET) from 1.0"
    with pytest.raises(IntegrityError), transaction.atomic():
        EndpointDeprecationFactory(method="GET")
    assert EndpointDeprecation.objects.count() == 2


def test_migrations_are_committed() -> None:
    out = StringIO()
    call_command("makemigrations", "versioning_app", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()

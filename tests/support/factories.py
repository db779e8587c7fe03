"""factory-boy factories for versioning_app's models."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.utils import timezone

from versioning_app.models import EndpointDeprecation, Status, VersionLifecycle


class VersionLifecycleFactory(factory.django.DjangoModelFactory):
    """Puts a version's row in a state (rows of declared versions exist after migrate)."""

    class Meta:
        model = VersionLifecycle

    version = "1.0"
    status = Status.STABLE
    released_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class: type[VersionLifecycle], *args: Any, **kwargs: Any) -> Any:
        # Update the existing row rather than fail on the unique version.
        row, _ = model_class.objects.update_or_create(
            version=kwargs.pop("version"), defaults=kwargs
        )
        return row


class DeprecatedVersionFactory(VersionLifecycleFactory):
    """A version deprecated yesterday, sunset in 180 days, successor 2.0, with a guide."""

    status = Status.DEPRECATED
    deprecated_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    sunset_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=180))
    successor = factory.LazyFunction(lambda: VersionLifecycle.objects.get(version="2.0"))
    documentation_url = "https://docs.example.com/migrate-to-v2"


class EndpointDeprecationFactory(factory.django.DjangoModelFactory):
    """A deprecation of ``book-similar`` (every method) from 1.0 on."""

    class Meta:
        model = EndpointDeprecation

    route = "book-similar"
    method = ""
    from_version = factory.LazyFunction(lambda: VersionLifecycle.objects.get(version="1.0"))
    deprecated_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=2))
    sunset_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=90))
    replacement = "GET /api/v2/books/?author={id}"
    documentation_url = "https://docs.example.com/similar-books"


def _utc(day: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(tzinfo=datetime.UTC)


# The lifecycle of SPEC section 6 with fixed dates, so that documents and labels are
# reproducible. The sunset is far ahead: a date that a test run could pass would turn the
# deprecated 1.x into gone (410) versions on that day.
SPEC_RELEASED = {
    "0.9": _utc("2023-03-01"),
    "1.0": _utc("2023-09-01"),
    "1.1": _utc("2024-02-01"),
    "2.0": _utc("2024-09-01"),
    "2.1": _utc("2025-03-01"),
}
SPEC_DEPRECATED_AT = _utc("2026-11-22")
SPEC_SUNSET_AT = _utc("2099-05-21")
SPEC_MIGRATION_GUIDE = "https://docs.example.com/migrate-to-v2"


def put_versions_in_spec_states() -> None:
    """0.9 retired, 1.x deprecated (successor 2.0), 2.x stable, 3.0 preview, fixed dates.

    Every row starts over as a preview (as in a fresh project with ``NEW_VERSION_STATUS =
    "preview"``) and reaches its state through the lifecycle rules, as the admin would.
    """
    from versioning_app import lifecycle

    for row in VersionLifecycle.objects.all():
        VersionLifecycleFactory(
            version=row.version,
            status=Status.PREVIEW,
            released_at=None,
            deprecated_at=None,
            sunset_at=None,
            successor=None,
            documentation_url="",
            notes="",
        )
    for version, released_at in SPEC_RELEASED.items():
        lifecycle.stabilize(version, released_at=released_at)
    for version in ("0.9", "1.0", "1.1"):
        lifecycle.deprecate(
            version,
            deprecated_at=SPEC_DEPRECATED_AT,
            sunset_at=SPEC_SUNSET_AT,
            successor="2.0",
            documentation_url=SPEC_MIGRATION_GUIDE,
        )
    lifecycle.retire("0.9")

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

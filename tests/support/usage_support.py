"""Helpers of the usage tests: a flush that sees every slot closed, resolvers, a broken cache."""

from __future__ import annotations

import datetime
import time
from typing import Any

import factory
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpRequest

from versioning_app.conf import app_settings
from versioning_app.models import UsageFlush, UsageRecord
from versioning_app.usage.flush import FlushResult, flush


def flush_closed() -> FlushResult:
    """Flush as if the current slot had closed and its grace period had passed."""
    later = time.time() + app_settings.USAGE_SLOT_SECONDS + app_settings.USAGE_FLUSH_GRACE_SECONDS
    return flush(now=later)


def counts() -> dict[tuple[str, str, str, str], int]:
    """Every usage row as ``{(version, route, method, client): count}`` (days summed)."""
    result: dict[tuple[str, str, str, str], int] = {}
    for row in UsageRecord.objects.all():
        key = (row.version, row.route, row.method, row.client)
        result[key] = result.get(key, 0) + row.count
    return result


def header_client(request: HttpRequest) -> str | None:
    """A resolver that names the client by an ``X-Client`` header (tests only)."""
    return request.headers.get("X-Client")


class BrokenCache(LocMemCache):
    """A cache whose writes fail, like a Redis that went away."""

    def add(self, *args: Any, **kwargs: Any) -> bool:
        """Fail."""
        raise ConnectionError("cache down")

    def incr(self, *args: Any, **kwargs: Any) -> int:
        """Fail."""
        raise ConnectionError("cache down")


class UsageRecordFactory(factory.django.DjangoModelFactory):
    """A daily usage row of an anonymous client."""

    class Meta:
        model = UsageRecord

    version = "2.1"
    route = "book-list"
    method = "GET"
    client = "anonymous"
    day = factory.LazyFunction(lambda: datetime.datetime.now(datetime.UTC).date())
    count = 1
    last_seen = factory.LazyFunction(lambda: datetime.datetime.now(datetime.UTC))


class UsageFlushFactory(factory.django.DjangoModelFactory):
    """A flushed slot."""

    class Meta:
        model = UsageFlush

    batch = factory.Sequence(lambda n: f"{n:032x}")
    slot_start = factory.LazyFunction(lambda: datetime.datetime.now(datetime.UTC))
    slot_seconds = 60
    requests = 1


class UserFactory(factory.django.DjangoModelFactory):
    """An API user with a password, for HTTP Basic requests."""

    class Meta:
        model = "auth.User"
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"reader{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "secret")

    @factory.post_generation
    def _save(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.save()

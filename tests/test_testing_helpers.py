"""``versioning_app.testing`` for projects' own tests (issue 16 items 3, 4): the lifecycle clock
(context manager and fixture), the RFC-parsing assertions, the versioned client, flush_usage."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.http import HttpResponse
from rest_framework.test import APIClient

from tests.testapp.factories import BookFactory
from versioning_app import lifecycle
from versioning_app.models import UsageRecord
from versioning_app.testing import (
    LifecycleClock,
    VersionedAPIClient,
    assert_brownout,
    assert_deprecated,
    assert_gone,
    assert_not_deprecated,
    assert_read_only,
    flush_usage,
    lifecycle_at,
    parse_deprecation,
    parse_links,
    parse_sunset,
    refresh_lifecycle,
)

SUNSET = datetime.datetime(2099, 5, 21, tzinfo=datetime.UTC)  # spec_lifecycle's


def test_the_sunset_day_without_a_hard_coded_wait(api: APIClient, spec_lifecycle: None) -> None:
    with lifecycle_at(SUNSET - datetime.timedelta(seconds=1)):
        headers = assert_deprecated(
            api.get("/api/v1/books/"),
            sunset_at=SUNSET,
            successor="/api/v2/books/",
            documentation="https://docs.example.com/migrate-to-v2",
        )
    assert headers.deprecated_at == datetime.datetime(2026, 11, 22, tzinfo=datetime.UTC)
    with lifecycle_at(SUNSET):
        body = assert_gone(api.get("/api/v1/books/"), successor="2.0")
    assert "past its sunset" in body["detail"]
    assert api.get("/api/v1/books/").status_code == 200  # the clock is back


def test_the_clock_as_a_decorator_and_with_a_date(api: APIClient, spec_lifecycle: None) -> None:
    @lifecycle_at(datetime.date(2100, 1, 1))
    def on_new_year() -> int:
        return api.get("/api/v1/books/").status_code

    assert on_new_year() == 410
    assert api.get("/api/v1/books/").status_code == 200


def test_the_fixture_sets_and_advances_the_clock(
    lifecycle_clock: LifecycleClock, api: APIClient, spec_lifecycle: None
) -> None:
    lifecycle_clock.set("2099-05-20T00:00")
    assert api.get("/api/v1/books/").status_code == 200
    lifecycle_clock.advance(days=1)
    assert lifecycle_clock.now == SUNSET
    assert_gone(api.get("/api/v1/books/"))


def test_the_fixture_put_the_clock_back(api: APIClient, spec_lifecycle: None) -> None:
    from versioning_app.lifecycle import clock

    assert not clock.is_set()


def test_the_versioned_client_sends_the_header(
    versioned_api: Callable[..., VersionedAPIClient], spec_lifecycle: None
) -> None:
    response = versioned_api("1.0").get("/api/v1/books/")
    assert response.headers["API-Version"] == "1.0"
    assert_deprecated(response, successor="/api/v2/books/")
    assert VersionedAPIClient().get("/api/v2/books/").headers["API-Version"] == "2.1"


def test_brownout_and_read_only_assertions(
    api: APIClient, admin_api: APIClient, spec_lifecycle: None
) -> None:
    book = BookFactory()
    start = datetime.datetime(2031, 1, 1, tzinfo=datetime.UTC)
    with lifecycle_at(start):
        lifecycle.schedule_brownout("1.0", starts_at=start, minutes=10)
        lifecycle.set_policies("1.1", read_only=True)
        refresh_lifecycle()
        _body, retry = assert_brownout(
            api.get(f"/api/v1/books/{book.pk}/", HTTP_API_VERSION="1.0"), successor="2.0"
        )
        assert retry == 600
        assert_read_only(admin_api.delete(f"/api/v1/books/{book.pk}/"), successor="2.0")
        assert_not_deprecated(api.get("/api/v2/books/"))


def response(status: int = 200, **headers: str) -> HttpResponse:
    return HttpResponse(status=status, headers=headers)


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({}, "no Deprecation header"),
        ({"Deprecation": "true"}, "RFC 9745"),
        ({"Deprecation": "Tue, 01 Jan 2030 00:00:00 GMT"}, "RFC 9745"),
        ({"Deprecation": "@1", "Sunset": "2030-01-01"}, "IMF-fixdate"),
        ({"Deprecation": "@1", "Sunset": "Tue, 01 Jan 2030 00:00:00 UTC"}, "IMF-fixdate"),
        ({"Deprecation": "@1", "Link": "https://x"}, "malformed Link"),
    ],
)
def test_assert_deprecated_refuses_what_the_rfcs_refuse(
    headers: dict[str, str], message: str
) -> None:
    with pytest.raises(AssertionError, match=message):
        assert_deprecated(response(**headers))


def test_parsers() -> None:
    assert parse_deprecation("@1767225600") == datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    assert parse_sunset("Thu, 01 Jan 2031 00:00:00 GMT").year == 2031
    assert parse_links('<https://a>; rel="deprecation", </v2/>; REL="Successor-Version next"') == {
        "deprecation": ["https://a"],
        "successor-version": ["/v2/"],
        "next": ["/v2/"],
    }


def test_assert_gone_refuses_a_served_response() -> None:
    with pytest.raises(AssertionError, match="expected 410, got 200"):
        assert_gone(response())


@pytest.mark.django_db
def test_flush_usage_writes_the_counts_now(admin_api: APIClient, db: Any) -> None:
    for _ in range(3):
        assert admin_api.get("/api/v2/books/").status_code == 200
    assert not UsageRecord.objects.exists()
    flush_usage()
    record = UsageRecord.objects.get()
    assert (record.version, record.route, record.count) == ("2.1", "book-list", 3)


def test_the_docs_follow_the_clock_too(api: APIClient, spec_lifecycle: None) -> None:
    assert api.get("/api/schema/1.1/").status_code == 200
    with lifecycle_at(SUNSET):
        assert api.get("/api/schema/1.1/").status_code == 410
    assert api.get("/api/schema/1.1/").status_code == 200


def test_the_rules_date_a_deprecation_by_the_clock(spec_lifecycle: None) -> None:
    with lifecycle_at("2031-02-03T04:05"):
        row = lifecycle.deprecate("2.0", successor="2.1")
    assert row.deprecated_at == datetime.datetime(2031, 2, 3, 4, 5, tzinfo=datetime.UTC)

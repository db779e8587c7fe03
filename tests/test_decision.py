"""One decision per request (``request.api_decision``): made once, read by headers and usage."""

from __future__ import annotations

import dataclasses
import datetime
import json
import random
import string

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.support.factories import DeprecatedVersionFactory, EndpointDeprecationFactory
from tests.support.linkheader import links_by_rel
from tests.support.usage_support import counts, flush_closed
from tests.testapp.factories import AuthorFactory, BookFactory
from versioning_app import VersionNumber, lifecycle
from versioning_app.changes import OTHER_METHOD
from versioning_app.decision import ChosenBy, Decision
from versioning_app.errors import EndpointRetired, InvalidVersionHeader, VersionRetired
from versioning_app.lifecycle.verdict import QUIET
from versioning_app.usage.buffer import ANONYMOUS, counter
from versioning_app.versions import EndpointIndex

pytestmark = pytest.mark.django_db


def decision(response) -> Decision:
    """The decision the request of ``response`` carried."""
    found = response.wsgi_request.api_decision
    assert isinstance(found, Decision)
    return found


def test_the_url_chooses_the_majors_newest_minor(api: APIClient) -> None:
    response = api.get("/api/v2/books/")
    assert response.status_code == 200
    made = decision(response)
    assert made.number == VersionNumber(2, 1)
    assert made.chosen_by is ChosenBy.URL
    assert (made.route, made.method, made.client_method) == ("book-list", "GET", "GET")
    assert not made.header_rejected
    assert made.counted
    assert made.verdict is QUIET  # a stable version: the shared "nothing to announce"
    assert response["API-Version"] == "2.1"


def test_the_header_chooses_a_minor_of_the_urls_major(api: APIClient) -> None:
    response = api.get("/api/v2/books/", HTTP_API_VERSION="2.0")
    assert response.status_code == 200
    made = decision(response)
    assert made.number == VersionNumber(2, 0)
    assert made.chosen_by is ChosenBy.HEADER
    assert made.rejection is None
    assert response["API-Version"] == "2.0"


def test_the_decision_is_immutable(api: APIClient) -> None:
    made = decision(api.get("/api/v2/books/"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.number = VersionNumber(2, 0)  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.verdict.gone = True  # type: ignore[misc]


@pytest.mark.parametrize("header", ["2.7", "1.0", "banana"])
def test_a_rejected_header_answers_400_and_is_not_counted(api: APIClient, header: str) -> None:
    response = api.get("/api/v2/books/", HTTP_API_VERSION=header)
    assert response.status_code == 400
    assert response.json()["type"].endswith("invalid-version")
    made = decision(response)
    assert made.header_rejected
    assert isinstance(made.rejection, InvalidVersionHeader)
    # Answered at what the same request without the header gets.
    assert made.number == VersionNumber(2, 1)
    assert made.chosen_by is ChosenBy.URL
    assert response["API-Version"] == "2.1"
    assert not made.counted
    assert counter.pending == 0
    assert flush_closed().requests == 0


def test_a_catch_all_ignores_a_rejected_header_and_counts_nothing(api: APIClient) -> None:
    response = api.get("/api/v2/no-such-endpoint/", HTTP_API_VERSION="9.9")
    assert response.status_code == 404
    assert response.json()["type"].endswith("endpoint-not-in-version")
    made = decision(response)
    assert made.header_rejected
    assert made.route is None
    assert made.number == VersionNumber(2, 1)
    assert counter.pending == 0


def test_an_unknown_major_serves_nothing(api: APIClient) -> None:
    response = api.get("/api/v9/books/")
    assert response.status_code == 404
    made = decision(response)
    assert made.number is None
    assert not made.counted
    assert "API-Version" not in response
    assert counter.pending == 0


def test_a_retired_version_answers_its_verdicts_410_with_links(api: APIClient) -> None:
    book = BookFactory()
    DeprecatedVersionFactory(version="1.1")
    lifecycle.retire("1.1")
    response = api.get(f"/api/v1/books/{book.pk}/")
    assert response.status_code == 410
    verdict = decision(response).verdict
    assert verdict.gone
    assert isinstance(verdict.problem, VersionRetired)
    assert response.json() == verdict.problem.as_dict()
    assert response["Link"] == verdict.problem.headers["Link"]
    links = links_by_rel(response["Link"])
    assert links["successor-version"] == [f"/api/v2/books/{book.pk}/"]
    assert links["deprecation"] == ["https://docs.example.com/migrate-to-v2"]
    # A gone request is its problem's business: no lifecycle headers besides.
    assert "Deprecation" not in response and "Sunset" not in response
    assert decision(response).counted  # the client still called 1.1: usage knows


def test_a_retired_endpoint_answers_410_with_its_documentation_link(api: APIClient) -> None:
    book = BookFactory()
    EndpointDeprecationFactory(
        deprecated_at=timezone.now() - datetime.timedelta(days=9),
        sunset_at=timezone.now() - datetime.timedelta(days=1),
    )
    response = api.get(f"/api/v1/books/{book.pk}/similar/")
    assert response.status_code == 410
    verdict = decision(response).verdict
    assert isinstance(verdict.problem, EndpointRetired)
    assert links_by_rel(response["Link"]) == {
        "deprecation": ["https://docs.example.com/similar-books"]
    }
    # The rest of the version is untouched by the endpoint's retirement.
    assert decision(api.get("/api/v1/books/")).verdict is QUIET


def test_a_deprecated_version_announces_what_its_verdict_says(api: APIClient) -> None:
    state = DeprecatedVersionFactory(version="1.1")
    response = api.get("/api/v1/books/")
    assert response.status_code == 200
    verdict = decision(response).verdict
    assert verdict.status == "deprecated"
    assert not verdict.gone and verdict.problem is None
    assert verdict.deprecated_at == state.deprecated_at
    assert verdict.sunset_at == state.sunset_at
    assert response["Deprecation"] == f"@{int(state.deprecated_at.timestamp())}"
    assert "Sunset" in response
    assert response["Link"] == ", ".join(verdict.links)
    assert links_by_rel(response["Link"]) == {
        "deprecation": ["https://docs.example.com/migrate-to-v2"],
        "successor-version": ["/api/v2/books/"],
    }


def test_head_is_decided_as_get(api: APIClient) -> None:
    book = BookFactory()
    EndpointDeprecationFactory(method="GET")  # GET only: HEAD is GET without a body
    path = f"/api/v1/books/{book.pk}/similar/"
    get, head = api.get(path), api.head(path)
    assert get.status_code == head.status_code == 200
    assert decision(head).method == "GET"
    assert decision(head).client_method == "HEAD"  # usage still tells them apart
    assert decision(head).verdict == decision(get).verdict
    for name in ("API-Version", "Deprecation", "Sunset", "Link"):
        assert head[name] == get[name], name
    flush_closed()
    assert counts() == {
        ("1.1", "book-similar", "GET", ANONYMOUS): 1,
        ("1.1", "book-similar", "HEAD", ANONYMOUS): 1,
    }


def test_the_docs_410_is_the_version_verdict(api: APIClient) -> None:
    DeprecatedVersionFactory(version="1.1")
    lifecycle.retire("1.1")
    response = api.get("/api/docs/1.1/")
    assert response.status_code == 410
    body = json.loads(response.content)
    assert body["type"].endswith("version-retired")
    assert links_by_rel(response["Link"])["successor-version"] == ["/api/docs/2.0/"]


def test_a_retired_endpoint_leaves_its_versions_docs_served(api: APIClient) -> None:
    # The docs ask for the version's verdict, not an endpoint's.
    BookFactory()
    EndpointDeprecationFactory(
        deprecated_at=timezone.now() - datetime.timedelta(days=9),
        sunset_at=timezone.now() - datetime.timedelta(days=1),
    )
    assert api.get("/api/schema/1.1/").status_code == 200
    assert api.get("/api/docs/1.1/").status_code == 200


def test_client_chosen_methods_leave_every_cache_bounded(
    api: APIClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """2,000 requests with invented methods: every lookup sees a known method or OTHER."""
    author = AuthorFactory()
    asked: set[str] = set()
    available = EndpointIndex.available

    def spy(self: EndpointIndex, route: str, method: str, number: VersionNumber) -> bool:
        asked.add(method)
        return available(self, route, method, number)

    monkeypatch.setattr(EndpointIndex, "available", spy)
    chance = random.Random(11)
    for _ in range(2000):
        method = "".join(chance.choices(string.ascii_uppercase, k=13))
        response = api.generic(method, f"/api/v2/authors/{author.pk}/")  # a route 2.0 added
        assert response["API-Version"] == "2.1"
        assert decision(response).method == OTHER_METHOD
    assert asked == {OTHER_METHOD}  # the endpoint index never sees an invented method
    # Usage counted all 2,000 under one method: one key, not 2,000.
    flush_closed()
    assert counts() == {("2.1", "author-detail", OTHER_METHOD, ANONYMOUS): 2000}


def test_a_quiet_request_like_an_earlier_one_gets_its_decision_again(api: APIClient) -> None:
    first = decision(api.get("/api/v2/books/", HTTP_API_VERSION="2.0"))
    assert decision(api.get("/api/v2/books/", HTTP_API_VERSION="2.0")) is first
    # Another header, route or method is another request.
    assert decision(api.get("/api/v2/books/")) is not first
    assert decision(api.head("/api/v2/books/", HTTP_API_VERSION="2.0")) is not first


def test_a_remembered_decision_follows_the_lifecycle(api: APIClient) -> None:
    """Only the lifecycle changes at run time: it is checked again on every request."""
    BookFactory()
    quiet = decision(api.get("/api/v2/books/", HTTP_API_VERSION="2.0"))
    assert decision(api.get("/api/v2/books/", HTTP_API_VERSION="2.0")) is quiet
    lifecycle.deprecate("2.0", sunset_at=timezone.now() + datetime.timedelta(days=30))

    response = api.get("/api/v2/books/", HTTP_API_VERSION="2.0")
    assert response.status_code == 200
    assert response["Deprecation"].startswith("@")
    assert decision(response) is not quiet

    lifecycle.retire("2.0")
    assert api.get("/api/v2/books/", HTTP_API_VERSION="2.0").status_code == 410


def test_remembered_decisions_are_bounded(api: APIClient, monkeypatch) -> None:
    """Clients choose the header's spelling ("2.1.0" ... "2.1.9999"): only "2.1" is kept."""
    from versioning_app import versioning
    from versioning_app.conf import app_settings

    remembered = app_settings.versions.caches.decisions
    remembered.clear()  # what earlier tests left: this one counts what it adds
    canonical = decision(api.get("/api/v2/books/", HTTP_API_VERSION="2.1"))
    assert len(remembered) == 1
    for patch in range(60):
        response = api.get("/api/v2/books/", HTTP_API_VERSION=f"2.1.{patch}")
        assert response.status_code == 200
        assert response["API-Version"] == "2.1"
        assert decision(response) is not canonical  # decided, not kept
    assert len(remembered) == 1
    # And the declared keys themselves are capped.
    monkeypatch.setattr("versioning_app.versioning.MAX_DECISIONS", 3)
    for header in ("2.0", "2.1", None):
        for path in ("/api/v2/books/", "/api/v2/authors/"):
            extra = {} if header is None else {"HTTP_API_VERSION": header}
            assert api.get(path, **extra).status_code == 200
    assert len(remembered) == versioning.MAX_DECISIONS

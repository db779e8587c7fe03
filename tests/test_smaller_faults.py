"""The smaller items of issue 13 (item 11): one documentation-link check for every way in, the
successor link of a path with no endpoint, and RFC 9110 ``If-None-Match`` on schemas."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from tests.support.factories import DeprecatedVersionFactory
from tests.support.linkheader import links_by_rel
from versioning_app import TransitionRefused, deprecate
from versioning_app.admin.forms import EndpointDeprecationForm
from versioning_app.models import VersionLifecycle

pytestmark = pytest.mark.django_db

HOSTILE_LINKS = ["javascript:alert(1)", "data:text/html,<script>x</script>", "ftp://x.example/a"]


@pytest.mark.parametrize("link", HOSTILE_LINKS)
def test_the_python_api_refuses_a_link_that_is_not_http(link: str) -> None:
    # Before: accepted, and rendered as a link on the changelog page.
    with pytest.raises(TransitionRefused, match="http"):
        deprecate("1.0", documentation_url=link)
    assert VersionLifecycle.objects.get(version="1.0").documentation_url == ""


@pytest.mark.parametrize("link", HOSTILE_LINKS)
def test_the_command_and_the_admin_refuse_the_same_links(link: str) -> None:
    with pytest.raises(CommandError, match="http"):
        call_command("api_lifecycle", "deprecate", "1.0", "--link", link)
    form = EndpointDeprecationForm(data={"documentation_url": link})
    assert not form.is_valid()
    assert "documentation_url" in form.errors


def test_an_http_link_is_kept() -> None:
    deprecate("1.0", documentation_url="https://docs.example.com/v1")
    assert VersionLifecycle.objects.get(version="1.0").documentation_url.startswith("https://")


def test_the_successor_link_of_a_path_without_endpoint_is_the_major_root(api: APIClient) -> None:
    DeprecatedVersionFactory(version="2.0", successor=VersionLifecycle.objects.get(version="2.1"))
    response = api.get("/api/v2/no/such/path/", headers={"API-Version": "2.0"})
    assert response.status_code == 404
    # Before: "/api/v2/no/such/path/", a 404 there too.
    assert links_by_rel(response["Link"])["successor-version"] == ["/api/v2/"]


@pytest.mark.parametrize(
    ("header", "status"),
    [
        ("*", 304),  # before: 200
        ("{etag}", 304),
        ("W/{etag}", 304),  # If-None-Match compares weakly
        ('"other", {etag}', 304),
        ("{etag_inner}", 200),  # not an entity-tag (no quotes)
        ('"x{etag_inner}x"', 200),  # another entity-tag
        ("x{etag}x", 200),  # before: 304 (the ETag found inside the header)
        ('W/"a"{etag}', 200),  # before: 304
        ('"nope"', 200),
    ],
)
def test_if_none_match_follows_rfc_9110(api: APIClient, header: str, status: int) -> None:
    etag = api.get("/api/schema/2.1/")["ETag"]
    value = header.format(etag=etag, etag_inner=etag.strip('"'))
    response = api.get("/api/schema/2.1/", headers={"If-None-Match": value})
    assert response.status_code == status

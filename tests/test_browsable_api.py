"""The browsable API page lists the version headers as a client receives them."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from tests.support.factories import DeprecatedVersionFactory
from versioning_app import VersionedBrowsableAPIRenderer
from versioning_app.testing import refresh_lifecycle

pytestmark = pytest.mark.django_db

HEADER = re.compile(r"<b>([A-Za-z-]+):</b> <span class=\"lit\">(.*?)</span>\n?", re.S)


def shown_headers(page: str) -> dict[str, str]:
    """The header block of DRF's page, as ``{name: value}`` with the markup stripped."""
    block = page.split('<div class="response-info"', 1)[1].split("</pre>", 1)[0]
    return {
        name: html.unescape(re.sub(r"<[^>]+>", "", value)) for name, value in HEADER.findall(block)
    }


def test_a_deprecated_version_shows_its_lifecycle_headers(client: Client) -> None:
    DeprecatedVersionFactory(version="1.0")
    refresh_lifecycle()
    response = client.get("/api/v1/books/", {"format": "api"}, headers={"API-Version": "1.0"})
    assert response.status_code == 200
    assert isinstance(response.accepted_renderer, VersionedBrowsableAPIRenderer)
    shown = shown_headers(response.content.decode())
    for name in ("API-Version", "Deprecation", "Sunset", "Link", "Allow"):
        assert shown[name] == response[name], name
    # Vary: Cookie comes later, from the session middleware; the version's part is there.
    assert "API-Version" in shown["Vary"]
    assert shown["API-Version"] == "1.0"
    assert 'rel="successor-version"' in shown["Link"]


def test_a_stable_version_shows_its_version_and_no_lifecycle_headers(client: Client) -> None:
    response = client.get("/api/v2/books/", headers={"Accept": "text/html"})
    assert response.status_code == 200
    shown = shown_headers(response.content.decode())
    assert shown["API-Version"] == response["API-Version"] == "2.1"
    assert "Deprecation" not in shown and "Deprecation" not in response

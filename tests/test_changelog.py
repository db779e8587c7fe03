"""The changelog: ``/api/changelog/`` as JSON and HTML, and ``manage.py api_changelog``."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from versioning_app.docs.changelog import build_changelog, to_markdown

pytestmark = pytest.mark.django_db


def test_changelog_lists_versions_newest_first_with_declared_changes() -> None:
    """Every version, newest first, with its description and its changes' descriptions."""
    changelog = build_changelog()
    assert [entry["version"] for entry in changelog["versions"]] == [
        "3.0",
        "2.1",
        "2.0",
        "1.1",
        "1.0",
        "0.9",
    ]
    v20 = changelog["versions"][2]
    assert v20["description"] == "Books have several authors."
    assert "`books/{id}/similar/` is gone." in v20["changes"]
    assert {"status", "released_at", "deprecated_at", "sunset_at", "successor"} <= set(v20)


def test_changelog_json(api: APIClient) -> None:
    """``/api/changelog/`` answers JSON by default."""
    response = api.get("/api/changelog/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == json.loads(json.dumps(build_changelog()))


@pytest.mark.parametrize("how", [{"format": "html"}, {}])
def test_changelog_html(api: APIClient, how: dict[str, str]) -> None:
    """``?format=html``, or a browser's Accept header, gets the readable page."""
    headers = {} if how else {"HTTP_ACCEPT": "text/html,application/xhtml+xml"}
    response = api.get("/api/changelog/", how, **headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert '<section id="v2.0">' in html
    assert "Authors can be listed and created." in html


def test_command_markdown() -> None:
    """``api_changelog`` prints Markdown by default."""
    out = StringIO()
    call_command("api_changelog", stdout=out)
    text = out.getvalue()
    assert text.startswith("# API changelog\n")
    assert "## 2.0 (" in text
    assert "- Authors can be listed and created." in text
    assert text == to_markdown(build_changelog())


def test_command_json() -> None:
    """``api_changelog --format json`` prints the same data as the JSON endpoint."""
    out = StringIO()
    call_command("api_changelog", "--format", "json", stdout=out)
    assert json.loads(out.getvalue()) == json.loads(json.dumps(build_changelog()))


def test_markdown_shows_dates_and_successor() -> None:
    """Lifecycle dates and the successor appear under the version heading."""
    changelog = {
        "versions": [
            {
                "version": "1.1",
                "status": "deprecated",
                "description": "",
                "released_at": "2024-01-02T00:00:00+00:00",
                "deprecated_at": "2025-01-02T00:00:00+00:00",
                "sunset_at": None,
                "successor": "2.0",
                "changes": [],
            }
        ]
    }
    text = to_markdown(changelog)
    assert "_released 2024-01-02, deprecated 2025-01-02, successor 2.0_" in text
    assert "- No changes to request or response shapes." in text

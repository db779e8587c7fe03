"""The changelog for clients: safe inline Markdown, no code names, retired dates, docs links;
the page and ``api_changelog``'s Markdown say the same."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from tests.support.factories import DeprecatedVersionFactory, VersionLifecycleFactory
from versioning_app import ResponseMigration, Version, VersionBundle
from versioning_app.docs import checks as docs_checks
from versioning_app.docs.changelog import build_changelog
from versioning_app.docs.markdown import to_html, to_markdown
from versioning_app.models import Status
from versioning_app.testing import refresh_lifecycle

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "html"),
    [
        (
            "`pages` *new* **now** _here_",
            "<code>pages</code> <em>new</em> <strong>now</strong> <em>here</em>",
        ),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("`<b>`", "<code>&lt;b&gt;</code>"),
        ("[guide](https://x.test/a?b=1&c=2)", '<a href="https://x.test/a?b=1&amp;c=2">guide</a>'),
        ("[docs](/api/docs/2.0/)", '<a href="/api/docs/2.0/">docs</a>'),
        ("[x](javascript:alert)", "x"),
        ("[x](//evil.test/)", "x"),
        (
            '[x](https://a.test/"onmouseover=y)',
            '<a href="https://a.test/&quot;onmouseover=y">x</a>',
        ),
        ("author_name stays", "author_name stays"),
    ],
)
def test_inline_markdown_is_escaped_and_limited(text: str, html: str) -> None:
    assert to_html(text) == html


def test_markdown_output_neutralises_html_and_unsafe_links() -> None:
    assert to_markdown("<b>x</b> [a](javascript:y) [b](https://ok.test/)") == (
        "&lt;b&gt;x&lt;/b&gt; a [b](https://ok.test/)"
    )


UNDESCRIBED = VersionBundle(
    Version("1.0"),
    Version(
        "1.1",
        ResponseMigration("tests.testapp.serializers.BookSerializer", lambda data, _i: data),
    ),
)


def test_an_undescribed_migration_gets_a_neutral_sentence_and_a_warning() -> None:
    with override_settings(VERSIONING_APP={"VERSIONS": UNDESCRIBED}):
        (entry, _first) = build_changelog()["versions"]
        (message,) = docs_checks.check_changelog_descriptions()
    assert entry["changes"] == ["Response data is converted to this version's shape."]
    assert "BookSerializer" not in str(entry) and "lambda" not in str(entry)
    assert message.id == "versioning_app.W065"
    assert "Version 1.1 declares ResponseMigration without a description" in message.msg


def test_a_retired_version_shows_no_future_sunset(api: APIClient) -> None:
    DeprecatedVersionFactory(version="1.0")
    VersionLifecycleFactory(
        version="0.9",
        status=Status.RETIRED,
        deprecated_at=timezone.now() - datetime.timedelta(days=30),
        sunset_at=timezone.now() + datetime.timedelta(days=30),  # retired before its sunset
    )
    refresh_lifecycle()
    entries = {e["version"]: e for e in build_changelog()["versions"]}
    assert entries["0.9"]["status"] == "retired"
    assert entries["0.9"]["sunset_at"] is None and entries["0.9"]["retired_at"] is None
    assert entries["0.9"]["docs_url"] is None
    assert entries["1.0"]["sunset_at"] is not None
    page = api.get("/api/changelog/", {"format": "html"}).content.decode()
    retired = page.split('<section id="v0.9">')[1].split("</section>")[0]
    assert "sunset" not in retired and "retired" in retired


def test_a_version_past_its_sunset_shows_when_it_was_retired() -> None:
    sunset = timezone.now() - datetime.timedelta(days=2)
    DeprecatedVersionFactory(
        version="1.0", deprecated_at=sunset - datetime.timedelta(days=90), sunset_at=sunset
    )
    refresh_lifecycle()
    entry = {e["version"]: e for e in build_changelog()["versions"]}["1.0"]
    assert entry["status"] == "retired"
    assert entry["retired_at"] == sunset.isoformat()


def test_page_renders_markdown_links_docs_and_dark_mode(api: APIClient) -> None:
    response = api.get("/api/changelog/", {"format": "html"})
    page = response.content.decode()
    v20 = page.split('<section id="v2.0">')[1].split("</section>")[0]
    assert "<li><code>books/{id}/similar/</code> is gone.</li>" in v20
    assert '<a href="/api/docs/2.0/">Swagger UI</a>' in v20
    assert '<a href="/api/redoc/2.0/">Redoc</a>' in v20
    assert "<style" not in page  # styles come from static files (Content-Security-Policy)
    assert "/static/versioning_app/changelog.css" in page
    assert "author_name_from_authors" not in page and "BookSerializer" not in page


def test_page_and_markdown_say_the_same() -> None:
    DeprecatedVersionFactory(version="1.0")
    refresh_lifecycle()
    out = StringIO()
    call_command("api_changelog", stdout=out)
    text = out.getvalue()
    assert "## 1.0 (deprecated)" in text
    assert "[Swagger UI](/api/docs/2.0/) · [Redoc](/api/redoc/2.0/)" in text
    assert "- `books/{id}/similar/` is gone." in text
    assert "[Migration guide](https://docs.example.com/migrate-to-v2)" in text
    assert "successor 2.0" in text


def test_css_has_a_dark_mode() -> None:
    path = finders.find("versioning_app/changelog.css")
    assert path is not None
    with open(path) as css:
        assert "prefers-color-scheme: dark" in css.read()

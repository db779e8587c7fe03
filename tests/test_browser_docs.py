"""The docs in a real browser (Playwright + Debian chromium) against a live server on 127.0.0.1."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.support.factories import put_versions_in_spec_states

LABEL_RE = re.compile(r"^\d+\.\d+ \((preview|stable|deprecated|retired)\b")

pytestmark = [pytest.mark.browser, pytest.mark.live]


@pytest.fixture
def lifecycle_states(live_url: str) -> None:
    """SPEC section 6's states (0.9 retired, 1.x deprecated, 3.0 preview), set by the rules.

    Committed for real (the live server reads them on its own thread); the flush after the test
    removes them and post_migrate recreates the rows of the declared versions.
    """
    put_versions_in_spec_states()


SPEC_LABELS = [
    "3.0 (preview)",
    "2.1 (stable, default)",
    "2.0 (stable)",
    "1.1 (deprecated, sunset 2099-05-21)",
    "1.0 (deprecated, sunset 2099-05-21)",
    "0.9 (retired)",
]


def test_docs_render_with_the_version_switcher(
    live_url: str, lifecycle_states: None, page: Any
) -> None:
    """Swagger UI renders the newest stable version; the switcher labels every version."""
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.goto(f"{live_url}/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
    options = page.locator("#versioning-app-switcher option")
    assert options.all_inner_texts() == SPEC_LABELS
    assert all(LABEL_RE.match(label) for label in SPEC_LABELS)
    disabled = [options.nth(i).is_disabled() for i in range(options.count())]
    assert disabled == [False, False, False, False, False, True]  # 0.9 cannot be chosen
    selected = page.locator("#versioning-app-switcher option:checked").inner_text()
    assert selected == "2.1 (stable, default)"
    assert "2.1" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".swagger-ui .opblock-deprecated").count() == 0
    assert hosts == {urlsplit(live_url).netloc}, hosts


def test_switching_to_1_1_shows_its_fields_and_the_deprecation(
    live_url: str, lifecycle_states: None, page: Any
) -> None:
    """Choosing 1.1 shows 1.1's operations and book (``author_name``), all marked deprecated."""
    page.goto(f"{live_url}/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
    page.select_option("#versioning-app-switcher", value="/api/docs/1.1/")
    page.wait_for_url(re.compile(r"/api/docs/1\.1/$"))
    page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
    summaries = page.locator(".opblock-summary [data-path]")
    paths = [summaries.nth(i).get_attribute("data-path") for i in range(summaries.count())]
    assert "/api/v1/books/{id}/similar/" in paths
    assert not any("/authors/" in path for path in paths)
    selected = page.locator("#versioning-app-switcher option:checked").inner_text()
    assert selected == "1.1 (deprecated, sunset 2099-05-21)"
    # Swagger UI's deprecated styling (greyed block, struck-through path) on every operation,
    # and our banner above it.
    blocks = page.locator(".swagger-ui .opblock")
    assert blocks.count() == page.locator(".swagger-ui .opblock.opblock-deprecated").count() > 0
    assert page.locator(".opblock-summary-path__deprecated").count() == blocks.count()
    banner = page.locator(".versioning-app-deprecated").inner_text()
    assert "1.1 is deprecated" in banner and "2099-05-21" in banner and "2.0" in banner
    # 1.1's book has author_name (head has authors): open GET books/{id}/ and read its example.
    page.locator("#operations-books-books_retrieve .opblock-summary").click()
    body = page.locator("#operations-books-books_retrieve .opblock-body")
    body.wait_for(timeout=20_000)
    assert "Warning: Deprecated" in body.inner_text()
    example = page.locator("#operations-books-books_retrieve .responses-wrapper")
    example.wait_for(timeout=20_000)
    text = example.inner_text()
    assert '"author_name"' in text
    assert '"authors"' not in text


def test_a_retired_version_is_gone_from_the_docs(
    live_url: str, lifecycle_states: None, page: Any
) -> None:
    """Opening 0.9's page directly answers 410 with the problem naming the successor."""
    response = page.goto(f"{live_url}/api/docs/0.9/")
    assert response is not None
    assert response.status == 410
    assert response.headers["content-type"] == "application/problem+json"
    assert '"successor": "2.0"' in page.content()


def test_redoc_renders(live_url: str, page: Any) -> None:
    """Redoc renders a version's document from the local bundle."""
    page.goto(f"{live_url}/api/redoc/2.1/")
    page.wait_for_selector("#redoc h1", timeout=20_000)
    assert "2.1" in page.locator("#redoc h1").first.inner_text()


def test_try_it_out_on_a_pinned_minor_asks_for_that_minor(live_url: str, page: Any) -> None:
    """On 1.0's page, "Try it out" sends ``API-Version: 1.0`` and is served 1.0, not 1.1."""
    sent: list[dict[str, str]] = []

    def record(request: Any) -> None:
        if urlsplit(request.url).path == "/api/v1/books/":
            sent.append(request.headers)

    page.on("request", record)
    page.goto(f"{live_url}/api/docs/1.0/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
    operation = page.locator("#operations-books-books_list")
    operation.locator(".opblock-summary").click()
    operation.locator(".try-out__btn").click()
    operation.locator(".execute").click()
    status = operation.locator(".live-responses-table tr.response .response-col_status").first
    status.wait_for(timeout=20_000)
    assert status.inner_text().strip() == "200"
    assert len(sent) == 1
    assert sent[0].get("api-version") == "1.0"
    served = operation.locator(".live-responses-table tr.response .response-col_description").first
    assert "api-version: 1.0" in served.inner_text().lower()

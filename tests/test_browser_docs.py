"""The docs in a real browser (Playwright + Debian chromium) against a live server on 127.0.0.1."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.db import connections
from django.test.testcases import LiveServerThread

from tests.factories import put_versions_in_spec_states

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LABEL_RE = re.compile(r"^\d+\.\d+ \((preview|stable|deprecated|retired)\b")

pytestmark = [pytest.mark.browser, pytest.mark.live]


@pytest.fixture
def server(transactional_db: Any) -> Iterator[str]:
    """The project (static files included) on 127.0.0.1 and a free port; stopped afterwards."""
    shared = {}
    for conn in connections.all():
        if conn.vendor == "sqlite" and conn.is_in_memory_db():
            conn.inc_thread_sharing()
            shared[conn.alias] = conn
    thread = LiveServerThread("127.0.0.1", StaticFilesHandler, connections_override=shared, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    try:
        if thread.error:
            raise thread.error
        yield f"http://127.0.0.1:{thread.port}"
    finally:
        thread.terminate()
        thread.join()
        for conn in shared.values():
            conn.dec_thread_sharing()


@pytest.fixture
def page() -> Iterator[Any]:
    """A chromium page; fails (never skips) under CI when chromium is missing."""
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing (apt-get install -y chromium)")
        pytest.skip(f"{CHROMIUM} is missing")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser.new_page()
        finally:
            browser.close()


@pytest.fixture
def lifecycle_states(server: str) -> None:
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
    server: str, lifecycle_states: None, page: Any
) -> None:
    """Swagger UI renders the newest stable version; the switcher labels every version."""
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.goto(f"{server}/api/docs/")
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
    assert hosts == {urlsplit(server).netloc}, hosts


def test_switching_to_1_1_shows_its_fields_and_the_deprecation(
    server: str, lifecycle_states: None, page: Any
) -> None:
    """Choosing 1.1 shows 1.1's operations and book (``author_name``), all marked deprecated."""
    page.goto(f"{server}/api/docs/")
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
    server: str, lifecycle_states: None, page: Any
) -> None:
    """Opening 0.9's page directly answers 410 with the problem naming the successor."""
    response = page.goto(f"{server}/api/docs/0.9/")
    assert response is not None
    assert response.status == 410
    assert response.headers["content-type"] == "application/problem+json"
    assert '"successor": "2.0"' in page.content()


def test_redoc_renders(server: str, page: Any) -> None:
    """Redoc renders a version's document from the local bundle."""
    page.goto(f"{server}/api/redoc/2.1/")
    page.wait_for_selector("#redoc h1", timeout=20_000)
    assert "2.1" in page.locator("#redoc h1").first.inner_text()

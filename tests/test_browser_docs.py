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


def test_docs_render_with_the_version_switcher(server: str, page: Any) -> None:
    """Swagger UI renders the default version; the switcher lists every version with status."""
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.goto(f"{server}/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
    labels = page.locator("#versioning-app-switcher option").all_inner_texts()
    assert [label.split()[0] for label in labels] == ["3.0", "2.1", "2.0", "1.1", "1.0", "0.9"]
    assert all(LABEL_RE.match(label) for label in labels), labels
    assert hosts == {urlsplit(server).netloc}, hosts


def test_switching_versions_loads_that_versions_schema(server: str, page: Any) -> None:
    """Choosing 1.1 in the switcher shows 1.1's operations (``similar``, no authors)."""
    page.goto(f"{server}/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
    page.select_option("#versioning-app-switcher", value="/api/docs/1.1/")
    page.wait_for_url(re.compile(r"/api/docs/1\.1/$"))
    page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/books/{id}/similar/" in path.replace("\u200b", "") for path in paths)
    assert not any("/authors/" in path for path in paths)
    selected = page.locator("#versioning-app-switcher option:checked").inner_text()
    assert selected.startswith("1.1 (")
    # 1.1's book has author_name (head has authors): open GET books/{id}/ and read its example.
    page.locator("#operations-books-books_retrieve .opblock-summary").click()
    example = page.locator("#operations-books-books_retrieve .responses-wrapper")
    example.wait_for(timeout=20_000)
    text = example.inner_text()
    assert '"author_name"' in text
    assert '"authors"' not in text


def test_redoc_renders(server: str, page: Any) -> None:
    """Redoc renders a version's document from the local bundle."""
    page.goto(f"{server}/api/redoc/2.1/")
    page.wait_for_selector("#redoc h1", timeout=20_000)
    assert "2.1" in page.locator("#redoc h1").first.inner_text()

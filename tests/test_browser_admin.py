"""End to end in a real browser: deprecate a version through the admin action's form, then the
API answers with the Deprecation header. Debian's chromium, driven by Python Playwright."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.linkheader import links_by_rel

CHROMIUM = Path("/usr/bin/chromium")
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

pytestmark = pytest.mark.browser


@pytest.fixture
def page() -> Iterator[object]:
    """A Playwright page in Debian's chromium; in CI a missing chromium is a failure."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread: tests read the database in
    # fixtures set up before this one, never between browser steps.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()
            context.set_default_timeout(15_000)
            yield context.new_page()
        finally:
            browser.close()


@pytest.fixture
def live_url(transactional_db: None) -> Iterator[str]:
    """A live server for this test only, so that its database connection is closed after it.

    (pytest-django's session-wide ``live_server`` keeps one open until the end of the run,
    which makes PostgreSQL refuse to drop the test database.)
    """
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.db import connections
    from django.test.testcases import LiveServerThread

    # An in-memory SQLite database exists only in this connection: share it with the server.
    shared = {
        conn.alias: conn
        for conn in connections.all()
        if conn.vendor == "sqlite" and conn.is_in_memory_db()
    }
    for conn in shared.values():
        conn.inc_thread_sharing()
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
        for conn in shared.values():
            conn.dec_thread_sharing()


@pytest.fixture
def target_pk(transactional_db: None) -> int:
    """The primary key of version 1.1's lifecycle row."""
    from versioning_app.models import VersionLifecycle

    return VersionLifecycle.objects.get(version="1.1").pk


def test_deprecate_through_the_admin_then_the_api_says_so(
    live_url: str, admin_user: object, target_pk: int, page
) -> None:
    base = live_url
    before = page.request.get(f"{base}/api/v1/books/")
    assert before.status == 200
    assert "deprecation" not in before.headers

    page.goto(f"{base}/admin/login/?next=/admin/versioning_app/versionlifecycle/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/admin/versioning_app/versionlifecycle/$"))
    assert page.locator(".versioning-badge-stable").count() == 6

    page.check(f"input[name=_selected_action][value='{target_pk}']")
    page.select_option("select[name=action]", "deprecate")
    page.click("button[name=index]")
    page.wait_for_selector("input[name=deprecated_at]")
    page.fill("input[name=deprecated_at]", "2026-01-01T00:00")
    page.fill("input[name=sunset_at]", "2030-06-30T12:00")
    page.select_option("select[name=successor]", label="2.0 (stable)")
    page.fill("input[name=documentation_url]", "https://docs.example.com/move-to-v2")
    page.click("input[name=apply]")
    page.wait_for_url(re.compile(r"/admin/versioning_app/versionlifecycle/$"))
    assert "Deprecate API versions: 1.1." in page.locator("ul.messagelist").inner_text()
    assert page.locator(".versioning-badge-deprecated").count() == 1

    after = page.request.get(f"{base}/api/v1/books/")
    assert after.status == 200
    assert after.headers["deprecation"] == "@1767225600"
    assert after.headers["sunset"] == "Sun, 30 Jun 2030 12:00:00 GMT"
    links = links_by_rel(after.headers["link"])
    assert links["deprecation"] == ["https://docs.example.com/move-to-v2"]
    assert links["successor-version"] == ["/api/v2/books/"]

    history = page.goto(f"{base}/admin/versioning_app/versionlifecycle/{target_pk}/history/")
    assert history is not None and history.status == 200
    assert "Deprecated from 2026-01-01 00:00 UTC" in page.content()

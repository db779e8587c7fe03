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
def page(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """A Playwright page in Debian's chromium; in CI a missing chromium is a failure."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # between browser steps are still plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()
            context.set_default_timeout(15_000)
            yield context.new_page()
        finally:
            browser.close()


@pytest.mark.django_db(transaction=True)
def test_deprecate_through_the_admin_then_the_api_says_so(live_server, admin_user, page) -> None:
    from versioning_app.models import Status, VersionLifecycle

    base = live_server.url
    before = page.request.get(f"{base}/api/v1/books/")
    assert before.status == 200
    assert "deprecation" not in before.headers

    page.goto(f"{base}/admin/login/?next=/admin/versioning_app/versionlifecycle/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/admin/versioning_app/versionlifecycle/$"))
    assert page.locator(".versioning-badge-stable").count() == 6

    target = VersionLifecycle.objects.get(version="1.1")
    page.check(f"input[name=_selected_action][value='{target.pk}']")
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

    assert VersionLifecycle.objects.get(version="1.1").status == Status.DEPRECATED
    after = page.request.get(f"{base}/api/v1/books/")
    assert after.status == 200
    assert after.headers["deprecation"] == "@1767225600"
    assert after.headers["sunset"] == "Sun, 30 Jun 2030 12:00:00 GMT"
    links = links_by_rel(after.headers["link"])
    assert links["deprecation"] == ["https://docs.example.com/move-to-v2"]
    assert links["successor-version"] == ["/api/v2/books/"]

    history = page.goto(f"{base}/admin/versioning_app/versionlifecycle/{target.pk}/history/")
    assert history is not None and history.status == 200
    assert "Deprecated from 2026-01-01 00:00 UTC" in page.content()

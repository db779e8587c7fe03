"""End to end in a real browser: deprecate a version through the admin action's form, then the
API answers with the Deprecation header. Debian's chromium, driven by Python Playwright."""

from __future__ import annotations

import re

import pytest

from tests.support.linkheader import links_by_rel

pytestmark = pytest.mark.browser


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

"""End to end in a real browser (issue 16): schedule a brownout in the admin, find it in the
calendar, see the API answer its 410, and ask the "what happens on…" page about a date.

The lifecycle clock is set for the whole test: the live server runs in this process, so its
requests read the same "now" (2031-03-01 12:00 UTC).
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterator

import pytest

from versioning_app.testing import lifecycle_at

pytestmark = pytest.mark.browser

NOW = datetime.datetime(2031, 3, 1, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def deprecated_11(transactional_db: None) -> Iterator[int]:
    """1.1 deprecated (successor 2.0, sunset in 2032), under the test's clock."""
    from versioning_app import deprecate
    from versioning_app.models import VersionLifecycle

    with lifecycle_at(NOW):
        deprecate(
            "1.1",
            sunset_at=datetime.datetime(2032, 1, 1, tzinfo=datetime.UTC),
            successor="2.0",
        )
        yield VersionLifecycle.objects.get(version="1.1").pk


def test_schedule_a_brownout_in_the_admin_and_see_it_everywhere(
    live_url: str, admin_user: object, deprecated_11: int, page
) -> None:
    base = live_url
    assert page.request.get(f"{base}/api/v1/books/").status == 200

    page.goto(f"{base}/admin/login/?next=/admin/versioning_app/brownout/add/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/admin/versioning_app/brownout/add/$"))

    # First a refused window: 3.0, the newest, has nowhere to send its clients.
    page.select_option("select[name=version]", label="3.0 (stable)")
    page.fill("input[name=starts_at_0]", "2031-03-01")
    page.fill("input[name=starts_at_1]", "11:30:00")
    page.fill("input[name=ends_at_0]", "2031-03-01")
    page.fill("input[name=ends_at_1]", "13:00:00")
    page.click("input[name=_save]")
    page.wait_for_selector("ul.errorlist")
    assert "no successor" in page.locator("ul.errorlist").first.inner_text()

    page.select_option("select[name=version]", label="1.1 (deprecated)")
    page.fill("textarea[name=note]", "first rehearsal")
    page.click("input[name=_save]")
    page.wait_for_url(re.compile(r"/admin/versioning_app/brownout/$"))
    assert "under way" in page.locator("#result_list").inner_text()

    gone = page.request.get(f"{base}/api/v1/books/")
    assert gone.status == 410
    assert gone.headers["retry-after"] == "3600"
    assert json.loads(gone.body())["type"].endswith("brownout")

    page.click("text=Upcoming brownouts")
    page.wait_for_url(re.compile(r"/admin/versioning_app/brownout/calendar/$"))
    calendar = page.locator(".brownout-calendar").inner_text()
    assert "Saturday 1 March 2031" in calendar and "first rehearsal" in calendar

    page.click("text=What happens on…")
    page.wait_for_url(re.compile(r"/admin/versioning_app/brownout/what-happens/$"))
    page.fill("input[name=moment]", "2031-03-01T12:30")
    page.click("#what-happens-form input[type=submit]")
    row = page.locator("tr[data-version='1.1']")
    assert row.locator("td.read").inner_text() == "410 brownout"
    assert "Retry-After: 1800" in row.locator("td.headers").inner_text()
    page.fill("input[name=moment]", "2032-01-02T00:00")
    page.click("#what-happens-form input[type=submit]")
    row = page.locator("tr[data-version='1.1']")
    assert row.locator("td.status").inner_text() == "retired"
    assert row.locator("td.read").inner_text() == "410 version-retired"

"""The admin pages at a 1366 px window in a real browser, under a strict Content-Security-Policy:
the lists fit without horizontal scroll, and the SVG charts show what the database holds.

Set ``VERSIONING_APP_SCREENSHOTS=<directory>`` to keep a PNG of every page visited.
"""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path
from typing import Any

import pytest

from tests.support.factories import SPEC_RELEASED
from tests.support.usage_support import UsageRecordFactory

pytestmark = [pytest.mark.browser, pytest.mark.live]

CSP = "default-src 'self'"
WIDTH, HEIGHT = 1366, 768
UTC = datetime.UTC


def days_ago(days: int) -> datetime.date:
    return datetime.datetime.now(UTC).date() - datetime.timedelta(days=days)


@pytest.fixture
def admin_data(transactional_db: None, admin_user: Any) -> dict[str, Any]:
    """0.9 retired, 1.x deprecated, 2.x stable, 3.0 preview (through the rules), and 30 days of
    usage with counts in the thousands; what the charts must show, read from the database."""
    from versioning_app import lifecycle
    from versioning_app.models import Status, VersionLifecycle
    from versioning_app.usage.series import daily_requests

    VersionLifecycle.objects.filter(version="3.0").update(status=Status.PREVIEW, released_at=None)
    for version, released_at in SPEC_RELEASED.items():
        VersionLifecycle.objects.filter(version=version).update(released_at=released_at)
    deprecated_at = datetime.datetime(2026, 6, 1, tzinfo=UTC)
    for version in ("0.9", "1.0", "1.1"):
        lifecycle.deprecate(
            version,
            deprecated_at=deprecated_at,
            sunset_at=datetime.datetime(2027, 6, 1, tzinfo=UTC),
            successor="2.0",
        )
    lifecycle.retire("0.9")
    for day in range(30):
        for version, base in (("1.0", 1200), ("1.1", 300), ("2.0", 4000), ("2.1", 9000)):
            UsageRecordFactory(
                version=version, route="book-list", day=days_ago(day), count=base + day * 37,
                client=f"user:{'a' * 32}",
            )  # fmt: skip
        UsageRecordFactory(version="0.9", route="book-list", day=days_ago(day), count=2)
    return {
        "series": daily_requests(30, versions=["0.9", "1.0", "1.1", "2.0", "2.1", "3.0"]),
        "rows": {row.version: row for row in VersionLifecycle.objects.order_by("major", "minor")},
    }


@pytest.fixture
def admin_page(live_url: str, admin_data: dict[str, Any], page: Any) -> Any:
    """A logged-in admin page at 1366 px; every response carries the strict CSP header."""
    violations: list[str] = []
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})

    def with_csp(route: Any) -> None:
        response = route.fetch(max_redirects=0)  # the browser follows redirects itself
        route.fulfill(
            response=response, headers={**response.headers, "content-security-policy": CSP}
        )

    page.route(re.compile(r"^http://127\.0\.0\.1:\d+/"), with_csp)
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(f"{live_url}/admin/login/?next=/admin/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))
    page.csp_violations = violations
    page.base = live_url
    return page


def screenshot(page: Any, name: str) -> None:
    """Keep a PNG of the page when ``VERSIONING_APP_SCREENSHOTS`` names a directory."""
    directory = os.environ.get("VERSIONING_APP_SCREENSHOTS")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(directory) / f"{name}.png"), full_page=True)


def fits(page: Any) -> dict[str, int]:
    """The results table's width and its container's (the admin scrolls ``.results``)."""
    return page.evaluate(
        """() => {
            const table = document.querySelector('#result_list');
            const box = table.closest('.results') || table.parentElement;
            const sizes = {table: table.scrollWidth, box: box.clientWidth,
                           page: document.documentElement.scrollWidth};
            table.style.width = 'min-content';  // the narrowest it can be: how much room is left
            sizes.natural = table.scrollWidth;
            table.style.width = '';
            return sizes;
        }"""
    )


def test_the_versions_list_fits_and_its_charts_match_the_database(
    admin_page: Any, admin_data: dict[str, Any]
) -> None:
    page = admin_page
    page.goto(f"{page.base}/admin/versioning_app/versionlifecycle/")
    widths = fits(page)
    print("versions list", widths)
    assert widths["table"] <= widths["box"], widths
    assert widths["page"] <= WIDTH, widths
    # The deciding columns are all on screen: none is scrolled off to the right.
    headers = page.locator("#result_list thead th .text").all_inner_texts()
    assert [h.strip().lower() for h in headers[1:]] == [
        "version", "status → successor", "deprecated → sunset",
        "requests (30 days)", "clients (30 days)", "last seen",
    ]  # fmt: skip
    # One sparkline per version, its series the database's requests per day.
    sparklines = page.locator("svg.va-sparkline")
    assert sparklines.count() == 6
    for index in range(6):
        svg = sparklines.nth(index)
        version = svg.get_attribute("data-version")
        expected = admin_data["series"][version]
        assert svg.get_attribute("data-series") == ",".join(map(str, expected))
        assert f"{sum(expected):,} requests in 30 days" in svg.locator("title").text_content()
    assert page.locator("td.field-usage_requests").first.inner_text().startswith("60")  # 0.9
    # The timeline: one row per version with its status, segments at the database's dates.
    rows = page.locator("svg.va-timeline g.va-row")
    assert rows.count() == 6
    for index in range(6):
        row = rows.nth(index)
        db = admin_data["rows"][row.get_attribute("data-version")]
        assert row.get_attribute("data-status") == db.status
        starts = row.locator("rect.va-segment").evaluate_all(
            "rects => rects.map(r => [r.dataset.kind, r.dataset.start])"
        )
        expected_starts = []
        if db.released_at:
            expected_starts.append(["stable", db.released_at.isoformat()])
        if db.deprecated_at:
            expected_starts.append(["deprecated", db.deprecated_at.isoformat()])
        if db.sunset_at and db.status != "retired":
            expected_starts.append(["retired", db.sunset_at.isoformat()])
        if db.status == "preview":
            assert [kind for kind, _start in starts] == ["preview"]
        elif db.status == "retired":  # retired before its sunset: gone from today on
            assert starts[:2] == expected_starts
            assert starts[2][0] == "retired"
            assert starts[2][1][:10] == days_ago(0).isoformat()
        else:
            assert starts == expected_starts
    assert page.locator(".versioning-badge-deprecated").count() == 2
    screenshot(page, "versions-list")
    assert page.csp_violations == []
    # The policy is in force: a style attribute is refused (and reported), so ours would be too.
    colour = page.evaluate(
        """() => { const probe = document.createElement('p');
                   probe.setAttribute('style', 'color: rgb(255, 0, 0)');
                   document.body.append(probe);
                   return getComputedStyle(probe).color; }"""
    )
    assert colour != "rgb(255, 0, 0)"


def test_the_usage_list_fits_and_is_read_only(admin_page: Any) -> None:
    page = admin_page
    page.goto(f"{page.base}/admin/versioning_app/usagerecord/")
    widths = fits(page)
    print("usage list", widths)
    assert widths["table"] <= widths["box"], widths
    assert widths["page"] <= WIDTH, widths
    headers = [
        h.strip().lower() for h in page.locator("#result_list thead th .text").all_inner_texts()
    ]
    assert headers == ["day", "version", "endpoint", "client", "requests", "last seen (utc)"]
    assert page.locator("select[name=action] option[value=delete_selected]").count() == 0
    assert "9,000" in page.locator("#result_list").inner_text()  # thousands separators
    screenshot(page, "usage-list")
    assert page.csp_violations == []


def test_the_usage_summary_chart_matches_the_database(
    admin_page: Any, admin_data: dict[str, Any]
) -> None:
    page = admin_page
    page.goto(f"{page.base}/admin/")
    page.click("#content-main a:text-is('Usage summary')")  # the admin index links to it
    page.wait_for_url(re.compile(r"/usagerecord/summary/$"))
    bars = page.locator("svg.va-daily rect.va-bar").evaluate_all(
        "rects => rects.map(r => [r.dataset.version, r.dataset.day, Number(r.dataset.requests)])"
    )
    series = admin_data["series"]
    today = days_ago(0)
    expected = [
        [version, (today - datetime.timedelta(days=29 - index)).isoformat(), count]
        for version, counts in series.items()
        for index, count in enumerate(counts)
        if count
    ]
    assert sorted(bars) == sorted(expected)
    first = page.locator("svg.va-daily rect.va-bar[data-version='2.1']").last
    assert first.locator("title").text_content() == f"2.1 on {today.isoformat()}: 9,000 requests"
    # Words and thousands separators; the retired 0.9 is not "not safe".
    retired = page.locator("#version-usage tr[data-version='0.9']").inner_text()
    assert "already retired" in retired and "no" not in retired.split()
    headers = page.locator("#usage-table thead").text_content()
    assert "Distinct clients" in headers and "Endpoint" in headers
    assert "route" not in headers and "last_seen" not in headers
    totals = page.locator("#version-usage tr[data-version='2.1'] td").nth(1).inner_text()
    assert totals == f"{sum(series['2.1']):,}"
    screenshot(page, "usage-summary")
    page.goto(f"{page.base}/admin/versioning_app/usagerecord/summary/?version=1.0")
    versions = page.locator("svg.va-daily rect.va-bar").evaluate_all(
        "rects => [...new Set(rects.map(r => r.dataset.version))]"
    )
    assert versions == ["1.0"]
    assert page.csp_violations == []


def test_the_version_page_shows_badge_usage_links_and_lifecycle_buttons(
    admin_page: Any, admin_data: dict[str, Any]
) -> None:
    page = admin_page
    row = admin_data["rows"]["1.0"]
    page.goto(f"{page.base}/admin/versioning_app/versionlifecycle/{row.pk}/change/")
    panel = page.locator("#version-panel")
    assert panel.locator(".versioning-badge-deprecated").count() == 1
    total = sum(admin_data["series"]["1.0"])
    assert f"{total:,} requests from 1 client in the last 30 days" in panel.inner_text()
    links = dict(
        zip(panel.locator("a").all_inner_texts(), panel.locator("a").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"), strict=True)
    )  # fmt: skip
    assert links == {
        "Docs": "/api/docs/1.0/",
        "Changelog": "/api/changelog/#v1.0",
        "Usage": "/admin/versioning_app/usagerecord/summary/?version=1.0",
    }
    buttons = panel.locator("button").all_inner_texts()
    assert buttons == ["Deprecate…", "Cancel the deprecation…", "Retire…"]
    screenshot(page, "version-page")
    panel.locator("button", has_text="Retire…").click()
    page.wait_for_selector("input[name=apply]")
    assert "Retire API versions" in page.locator("h1").inner_text()
    screenshot(page, "retire-confirmation")
    page.goto(f"{page.base}/admin/versioning_app/versionlifecycle/{row.pk}/change/")
    page.locator("#version-panel button", has_text="Deprecate…").click()
    page.fill("input[name=sunset_at]", "2020-01-01T00:00")
    page.click("input[name=apply]")
    page.wait_for_selector(".errornote")
    assert "The sunset cannot be before the deprecation." in page.locator(".errorlist").inner_text()
    assert page.input_value("input[name=sunset_at]") == "2020-01-01T00:00"
    assert "Sunset date (UTC)" in page.locator("label[for=id_sunset_at]").inner_text()
    screenshot(page, "deprecate-refused")
    assert page.csp_violations == []

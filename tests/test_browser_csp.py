"""Each docs page under the Content-Security-Policy the README gives for it, in Chromium: the
page renders, the browser reports no violation, and nothing is loaded from another host."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.live]

README = Path(__file__).resolve().parent.parent / "README.md"
# What shows that each page rendered: Swagger UI's operations, Redoc's menu, the changelog.
RENDERED = {
    "/api/docs/": ".swagger-ui .opblock",
    "/api/redoc/": "[role=menu] li",
    "/api/changelog/?format=html": "section#v2\\.0 li",
}


def policies() -> dict[str, str]:
    """``{page path: policy}`` from the README's table between the ``csp-table`` markers."""
    table = README.read_text(encoding="utf-8").split("<!-- csp-table:start -->")[1]
    table = table.split("<!-- csp-table:end -->")[0]
    return dict(re.findall(r"^\| `([^`]+)`[^|]*\| `([^`]+)` \|$", table, re.M))


def test_the_readme_gives_a_policy_for_every_page() -> None:
    assert set(policies()) == set(RENDERED)


@pytest.mark.parametrize("path", list(RENDERED))
def test_the_page_works_under_its_policy(live_url: str, page: Any, path: str) -> None:
    policy = policies()[path]
    hosts: set[str] = set()
    reports: list[str] = []
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.on(
        "console",
        lambda message: (
            reports.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    # The browser's own report of every violation, wherever it comes from (workers, styles).
    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation', function (e) {"
        "  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI); });"
    )

    def with_policy(route: Any) -> None:
        response = route.fetch()
        route.fulfill(
            response=response,
            headers={**response.headers, "content-security-policy": policy},
        )

    page.route(lambda url: urlsplit(url).path == urlsplit(path).path, with_policy)
    response = page.goto(f"{live_url}{path}")
    assert response is not None and response.status == 200
    assert response.headers["content-security-policy"] == policy
    page.wait_for_selector(RENDERED[path], timeout=20_000)
    page.wait_for_timeout(1_000)  # late work: Redoc's search worker, images
    assert page.evaluate("window.__violations") == []
    assert reports == []
    assert hosts == {urlsplit(live_url).netloc}, hosts

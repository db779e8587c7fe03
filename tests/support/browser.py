"""Browser-test fixtures (a pytest plugin): a live server per test and a chromium page.

Python Playwright drives Debian's chromium (browsers cannot be downloaded here). Outside CI a
missing chromium skips the browser tests; under CI (the ``CI`` variable set) it fails them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# What this machine's closed network needs: no background requests, no QUIC, no sandbox (root).
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


@pytest.fixture
def page() -> Iterator[Any]:
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
    """The project (static files included) on 127.0.0.1 and a free port, for this test only.

    pytest-django's session-wide ``live_server`` keeps a database connection open until the end
    of the run, which makes PostgreSQL refuse to drop the test database.
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
        thread.join()
        for conn in shared.values():
            conn.dec_thread_sharing()

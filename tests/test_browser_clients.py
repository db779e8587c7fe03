"""In a real browser: find a client in the admin, upgrade its pin and roll it back; the API
serves the client each pinned version without a header. Debian's chromium, Python Playwright."""

from __future__ import annotations

import base64
import re
import urllib.request

import pytest
from django.test import override_settings

pytestmark = pytest.mark.browser

PINNING = {"VERSIONS": "tests.testapp.versions.VERSIONS", "CLIENTS_PINNING": True}
AUTH = {"Authorization": "Basic " + base64.b64encode(b"alice:secret").decode()}


@pytest.fixture
def alice_pk(transactional_db: None) -> int:
    """alice, a client pinned to 1.0."""
    from django.utils import timezone

    from tests.support.usage_support import UserFactory
    from versioning_app.clients.models import Client, Pin
    from versioning_app.usage.buffer import hash_client

    user = UserFactory(username="alice")
    now = timezone.now()
    client = Client.objects.create(
        key=hash_client("user", user.pk), label="alice", first_seen=now, last_seen=now
    )
    Pin.objects.create(client=client, major=1, version="1.0", changed_at=now)
    return client.pk


@override_settings(VERSIONING_APP=PINNING)
def test_upgrade_and_roll_back_a_pin_in_the_admin(
    live_url: str, admin_user: object, alice_pk: int, page
) -> None:
    base = live_url

    def served() -> str:
        # Outside the browser: its admin session cookie would authenticate as the admin.
        request = urllib.request.Request(f"{base}/api/v1/books/", headers=AUTH)
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
            return str(response.headers["API-Version"])

    assert served() == "1.0"
    page.goto(f"{base}/admin/login/?next=/admin/versioning_app/client/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/admin/versioning_app/client/$"))
    page.fill("#searchbar", "alice")
    page.press("#searchbar", "Enter")
    page.click("#result_list a:text('alice')")
    page.wait_for_url(re.compile(rf"/admin/versioning_app/client/{alice_pk}/change/"))

    page.select_option("#upgrade-version", "1.1")
    page.click("button[form=client-upgrade]")
    page.wait_for_selector("ul.messagelist")
    assert "Pinned to 1.1." in page.locator("ul.messagelist").inner_text()
    assert served() == "1.1"

    page.click("button[form=client-rollback-1]")
    page.wait_for_selector("ul.messagelist:has-text('Rolled back to 1.0.')")
    assert served() == "1.0"

    page.goto(f"{base}/admin/versioning_app/client/{alice_pk}/history/")
    assert "Pinned to 1.1." in page.content() and "Rolled back to 1.0." in page.content()

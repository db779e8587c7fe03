"""The example project's brownout, as the README tries it in two commands (issue 16 item 6).

``seed_demo`` schedules none; ``manage.py api_lifecycle brownout 1.1 --start now --minutes 10``
then makes ``/api/v1/books/`` answer the brownout 410 until the window ends.
"""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from versioning_app.models import Brownout, VersionLifecycle
from versioning_app.testing import assert_brownout, refresh_lifecycle

pytestmark = [pytest.mark.django_db, pytest.mark.example]

DEMO = {"VERSIONS": "example_project.library.versions.VERSIONS", "NEW_VERSION_STATUS": "preview"}


def test_seed_demo_schedules_no_brownout_and_the_readme_commands_work(client: Client) -> None:
    VersionLifecycle.objects.all().delete()
    with override_settings(VERSIONING_APP=DEMO):
        call_command("seed_demo", stdout=StringIO())
        assert not Brownout.objects.exists()
        refresh_lifecycle()
        assert client.get("/api/v1/books/").status_code == 200

        out = StringIO()
        call_command(
            "api_lifecycle", "brownout", "1.1", "--start", "now", "--minutes", "10", stdout=out
        )
        assert "Brownout of 1.1 scheduled" in out.getvalue()
        response = client.get("/api/v1/books/")
    _body, retry_after = assert_brownout(response, successor="2.0")
    assert 590 <= retry_after <= 600
    assert json.loads(response.content)["version"] == "1.1"
    assert response.headers["Link"].count('rel="successor-version"') == 1
    assert client.get("/api/v2/books/").status_code == 200

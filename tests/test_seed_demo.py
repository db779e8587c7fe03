"""The demo seed puts the versions in the states of SPEC section 6, through the rules."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from tests.support.linkheader import links_by_rel
from versioning_app.models import VersionLifecycle

pytestmark = [pytest.mark.django_db, pytest.mark.example]

DEMO = {"VERSIONS": "example_project.library.versions.VERSIONS", "NEW_VERSION_STATUS": "preview"}


@pytest.fixture
def seeded() -> str:
    """Rows as a fresh demo database has them (all preview), then the seed, twice."""
    VersionLifecycle.objects.all().delete()
    out = StringIO()
    with override_settings(VERSIONING_APP=DEMO):
        call_command("seed_demo", stdout=out)
        call_command("seed_demo", stdout=out)  # idempotent
    return out.getvalue()


def test_states_after_seeding(seeded: str) -> None:
    states = dict(VersionLifecycle.objects.values_list("version", "status"))
    assert states == {
        "0.9": "retired", "1.0": "deprecated", "1.1": "deprecated",
        "2.0": "stable", "2.1": "stable", "3.0": "preview",
    }  # fmt: skip
    for version in ("1.0", "1.1"):
        row = VersionLifecycle.objects.get(version=version)
        assert row.successor.version == "2.0"
        assert row.documentation_url.startswith("https://")
        remaining = row.sunset_at - timezone.now()
        assert datetime.timedelta(days=179) < remaining <= datetime.timedelta(days=180)
    assert "Lifecycle: 0.9 retired, 1.0 deprecated" in seeded


def test_api_after_seeding(seeded: str, api) -> None:
    assert api.get("/api/v0/anything/at/all").status_code == 410
    v1 = api.get("/api/v1/books/")
    assert set(links_by_rel(v1["Link"])) == {"deprecation", "successor-version"}
    assert v1["Sunset"].endswith(" GMT")
    assert api.get("/api/v3/books/")["API-Lifecycle"] == "preview"
    assert "Deprecation" not in api.get("/api/v2/books/")


def test_seed_never_downgrades_a_stable_head() -> None:
    out = StringIO()
    call_command("seed_demo", stdout=out)  # rows created stable by the test settings
    assert "3.0 is already stable in this database" in out.getvalue()
    assert VersionLifecycle.objects.get(version="3.0").status == "stable"


def test_seeded_api_clients_are_pinned_and_served_at_their_pin(seeded: str) -> None:
    import base64

    from rest_framework.test import APIClient

    from versioning_app.clients.models import Client, Pin
    from versioning_app.clients.snapshot import invalidate_local
    from versioning_app.models import UsageRecord

    assert dict(Pin.objects.values_list("client__label", "version")) == {
        "alice": "1.0",
        "bob": "2.0",
    }
    assert Client.objects.count() == 2 and Pin.objects.count() == 2  # seeded twice, once
    assert UsageRecord.objects.filter(client__in=Client.objects.values("key")).count() == 6
    invalidate_local()
    with override_settings(VERSIONING_APP={**DEMO, "CLIENTS_PINNING": True}):
        for name, path, version in (
            ("alice", "/api/v1/books/", "1.0"),
            ("bob", "/api/v2/books/", "2.0"),
        ):
            token = base64.b64encode(f"{name}:{name}".encode()).decode()
            response = APIClient().get(path, HTTP_AUTHORIZATION=f"Basic {token}")
            assert response.status_code == 200
            assert response["API-Version"] == version
        assert APIClient().get("/api/v1/books/")["API-Version"] == "1.1"  # anonymous: newest

"""Structural documents: generated once per code, the lifecycle laid over; build-time exports."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from rest_framework.test import APIClient

from tests.support.factories import EndpointDeprecationFactory
from versioning_app import lifecycle
from versioning_app.docs import cache as schema_cache
from versioning_app.docs import catalog
from versioning_app.docs.export import MANIFEST
from versioning_app.docs.export_checks import check_schema_export
from versioning_app.docs.schema import generate_schema
from versioning_app.docs.signals import schema_generated
from versioning_app.models import VersionLifecycle
from versioning_app.settings_spec import SETTINGS
from versioning_app.versions import VersionNumber

SUNSET = datetime.datetime(2099, 5, 21, tzinfo=datetime.UTC)
SERVED = ["0.9", "1.0", "1.1", "2.0", "2.1", "3.0"]  # the test app's versions, all stable


@pytest.fixture
def generations() -> Iterator[list[str]]:
    """The versions drf-spectacular ran for, in order, while the test runs."""
    seen: list[str] = []

    def receiver(sender: Any, version: VersionNumber, **kwargs: Any) -> None:
        seen.append(str(version))

    schema_generated.connect(receiver)
    schema_cache.clear_local()
    yield seen
    schema_generated.disconnect(receiver)
    schema_cache.clear_local()


def _operations(schema: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method, path): op
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    }


@pytest.mark.django_db
def test_lifecycle_edits_do_not_regenerate(api: APIClient, generations: list[str]) -> None:
    """Deprecate, cancel, deprecate an endpoint: each shows up, drf-spectacular runs once."""
    first = api.get("/api/schema/2.0/")
    assert first.status_code == 200
    assert first.json()["info"]["x-lifecycle"]["status"] == "stable"
    assert generations == ["2.0"]

    lifecycle.deprecate("2.0", sunset_at=SUNSET, successor="2.1")
    deprecated = api.get("/api/schema/2.0/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert deprecated.status_code == 200
    schema = deprecated.json()
    assert schema["info"]["x-lifecycle"]["status"] == "deprecated"
    assert schema["info"]["description"].startswith("**Deprecated**: version 2.0")
    ops = _operations(schema)
    assert all(op["deprecated"] is True for op in ops.values())
    headers = ops[("get", "/api/v2/books/")]["responses"]["200"]["headers"]
    assert set(headers) == {"API-Version", "Deprecation", "Sunset", "Link"}
    assert headers["Sunset"]["required"] is True

    lifecycle.cancel_deprecation("2.0")
    stable = api.get("/api/schema/2.0/").json()
    assert stable["info"]["x-lifecycle"]["status"] == "stable"
    assert not any("deprecated" in op for op in _operations(stable).values())
    assert stable["paths"] == first.json()["paths"]

    EndpointDeprecationFactory(
        route="book-detail",
        method="DELETE",
        from_version=VersionLifecycle.objects.get(version="2.0"),
        replacement="PATCH instead",
    )
    ops = _operations(api.get("/api/schema/2.0/").json())
    assert ops[("delete", "/api/v2/books/{id}/")]["deprecated"] is True
    assert ops[("delete", "/api/v2/books/{id}/")]["description"].startswith("Deprecated: use")
    assert "deprecated" not in ops[("get", "/api/v2/books/{id}/")]
    assert generations == ["2.0"]  # four lifecycle states, one generation


@pytest.mark.django_db
def test_the_overlay_equals_a_full_generation(api: APIClient) -> None:
    """A preview version served from the cached structure is the document generated whole."""
    api.get("/api/schema/3.0/")  # the structure is cached while 3.0 is stable
    VersionLifecycle.objects.filter(version="3.0").update(status="preview")
    lifecycle.deprecate("1.1", sunset_at=SUNSET, successor="2.0")  # a change the snapshot sees
    for version in ("3.0", "1.1"):
        info = catalog.info_for(VersionNumber.parse(version))
        assert info is not None
        assert api.get(f"/api/schema/{version}/").json() == json.loads(
            json.dumps(generate_schema(info))
        )


def _export(out: Path, *args: str) -> None:
    call_command("api_schemas", "--out", str(out), *args, verbosity=0)


@pytest.mark.django_db
def test_export_is_byte_identical_across_runs_and_valid(tmp_path: Path) -> None:
    """Two runs write the same bytes: a validated document per served version and a manifest."""
    _export(tmp_path / "a")
    schema_cache.clear_local()
    _export(tmp_path / "b")
    names = sorted(path.name for path in (tmp_path / "a").iterdir())
    assert names == sorted([MANIFEST, *(f"openapi-{v}.json" for v in SERVED)])
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    text = (tmp_path / "a" / "openapi-2.1.json").read_text()
    assert text.endswith("}\n")
    assert list(json.loads(text)) == sorted(json.loads(text))  # sorted keys
    manifest = json.loads((tmp_path / "a" / MANIFEST).read_text())
    assert manifest["fingerprint"] == schema_cache.code_fingerprint()
    assert manifest["versions"]["2.1"]["routes"]["/api/v2/books/{id}/"] == "book-detail"
    _export(tmp_path / "a", "--check")  # up to date: no error


@pytest.mark.django_db
def test_export_leaves_out_retired_versions_and_check_fails_on_a_difference(
    tmp_path: Path,
) -> None:
    """A retired version is not exported; ``--check`` names the files that differ."""
    lifecycle.deprecate("0.9", sunset_at=SUNSET, successor="1.0")
    lifecycle.retire("0.9")
    _export(tmp_path)
    assert not (tmp_path / "openapi-0.9.json").exists()
    (tmp_path / "openapi-2.1.json").write_text("{}\n")
    with pytest.raises(CommandError, match=r"openapi-2\.1\.json"):
        _export(tmp_path, "--check")


@pytest.mark.django_db
def test_an_exported_schema_is_served_without_generation(
    api: APIClient, tmp_path: Path, generations: list[str]
) -> None:
    """With SCHEMA_EXPORT_DIR, the export is the structure: no generation, lifecycle laid over."""
    _export(tmp_path)
    del generations[:]
    schema_cache.clear_local()
    from django.core.cache import cache

    cache.clear()
    generated = json.loads((tmp_path / "openapi-2.0.json").read_text())
    with override_settings(VERSIONING_APP=_with_export(tmp_path)):
        lifecycle.deprecate("2.0", sunset_at=SUNSET, successor="2.1")
        served = api.get("/api/schema/2.0/").json()
        assert served["info"]["x-lifecycle"]["status"] == "deprecated"
        assert served["paths"].keys() == generated["paths"].keys()
        assert generations == []
        assert check_schema_export() == []


def _with_export(directory: Path | str) -> dict[str, Any]:
    from django.conf import settings

    return {**settings.VERSIONING_APP, "SCHEMA_EXPORT_DIR": str(directory)}


@pytest.mark.django_db
def test_a_stale_export_is_not_served_and_warns(
    api: APIClient, tmp_path: Path, generations: list[str]
) -> None:
    """W070: an export of other code; the schema is generated instead."""
    _export(tmp_path)
    manifest = json.loads((tmp_path / MANIFEST).read_text())
    manifest["fingerprint"] = "0" * 16
    (tmp_path / MANIFEST).write_text(json.dumps(manifest))
    del generations[:]
    with override_settings(VERSIONING_APP=_with_export(tmp_path)):
        assert [m.id for m in check_schema_export()] == ["versioning_app.W070"]
        assert api.get("/api/schema/2.0/").status_code == 200
        assert generations == ["2.0"]


@pytest.mark.django_db
def test_an_export_without_a_served_version_warns(tmp_path: Path) -> None:
    """W071: a served version the export lacks (exported while it was retired, say)."""
    _export(tmp_path)
    manifest = json.loads((tmp_path / MANIFEST).read_text())
    del manifest["versions"]["3.0"]
    (tmp_path / MANIFEST).write_text(json.dumps(manifest))
    with override_settings(VERSIONING_APP=_with_export(tmp_path)):
        messages = check_schema_export()
    assert [(m.id, "3.0" in m.msg) for m in messages] == [("versioning_app.W071", True)]


def test_an_export_dir_without_a_manifest_is_an_error(tmp_path: Path) -> None:
    """E071: SCHEMA_EXPORT_DIR names a directory with no readable manifest."""
    with override_settings(VERSIONING_APP=_with_export(tmp_path / "nowhere")):
        assert [m.id for m in check_schema_export()] == ["versioning_app.E071"]


def test_the_export_dir_setting_is_a_path() -> None:
    """E070: SCHEMA_EXPORT_DIR must be None or a path."""
    setting = SETTINGS["SCHEMA_EXPORT_DIR"]
    assert setting.check_id == "versioning_app.E070"
    assert setting.problem(None) is None
    assert setting.problem("schemas/") is None
    assert setting.problem(Path("schemas")) is None
    assert "SCHEMA_EXPORT_DIR" in str(setting.problem(42))

"""Per-version OpenAPI documents: endpoints and fields per version, lifecycle data, validity."""

from __future__ import annotations

import json
import os
import pathlib
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.settings import patched_settings
from openapi_spec_validator import validate

from versioning_app.conf import app_settings
from versioning_app.docs import cache as schema_cache
from versioning_app.docs import catalog
from versioning_app.docs.catalog import DEPRECATED, PREVIEW, STABLE, VersionInfo
from versioning_app.docs.schema import (
    decorate,
    generate_schema,
    major_patterns,
    postprocessing_hook,
)
from versioning_app.docs.signals import schema_generated
from versioning_app.versions import VersionNumber

GOLDEN = Path(__file__).parent / "golden"
UPDATE_GOLDEN = os.environ.get("VERSIONING_APP_UPDATE_GOLDEN") == "1"
VERSIONS = ["0.9", "1.0", "1.1", "2.0", "2.1", "3.0"]


def info(version: str, **lifecycle: Any) -> VersionInfo:
    """A catalog entry of a declared version, stable unless told otherwise."""
    declared = app_settings.versions.get(VersionNumber.parse(version))
    assert declared is not None
    return VersionInfo(version=declared, **{"status": STABLE, **lifecycle})


def operations(schema: dict[str, Any]) -> set[tuple[str, str]]:
    """Every (METHOD, path) of a document."""
    return {(method.upper(), path) for path, item in schema["paths"].items() for method in item}


@pytest.mark.parametrize("version", VERSIONS)
def test_every_version_validates_as_openapi_3(version: str) -> None:
    """openapi-spec-validator accepts every version's document."""
    validate(generate_schema(info(version)))


@pytest.mark.parametrize(
    ("version", "present", "absent"),
    [
        ("1.0", ("GET", "/api/v1/books/{id}/similar/"), ("GET", "/api/v1/authors/")),
        ("1.1", ("GET", "/api/v1/books/{id}/similar/"), ("GET", "/api/v1/authors/")),
        ("2.0", ("GET", "/api/v2/authors/"), ("GET", "/api/v2/books/{id}/similar/")),
        ("2.1", ("DELETE", "/api/v2/authors/{id}/"), ("GET", "/api/v2/books/{id}/similar/")),
    ],
)
def test_a_version_documents_exactly_its_endpoints(
    version: str, present: tuple[str, str], absent: tuple[str, str]
) -> None:
    """Endpoints added or removed by a version appear or disappear in its document."""
    ops = operations(generate_schema(info(version)))
    assert present in ops
    assert absent not in ops


def test_a_version_documents_only_its_own_major() -> None:
    """Generation looks at one major's patterns: no other namespace's path appears."""
    schema = generate_schema(info("2.0"))
    assert {path.split("/")[2] for path in schema["paths"]} == {"v2"}


def test_major_patterns_are_reused_so_drf_spectacular_memoises_them() -> None:
    """The same pattern objects come back each time (drf-spectacular caches by identity)."""
    first, second = major_patterns(2), major_patterns(2)
    assert all(a is b for a, b in zip(first, second, strict=True))


def test_info_version_and_lifecycle() -> None:
    """``info.version`` is the version; ``x-lifecycle`` carries status, dates and successor."""
    deprecated = info(
        "1.1",
        status=DEPRECATED,
        deprecated_at=_dt("2025-01-01"),
        sunset_at=_dt("2026-01-01"),
        successor=VersionNumber(2, 0),
        documentation_url="https://example.com/migrate",
    )
    schema = generate_schema(deprecated)
    assert schema["info"]["version"] == "1.1"
    assert schema["info"]["x-lifecycle"] == {
        "status": "deprecated",
        "released_at": None,
        "deprecated_at": "2025-01-01T00:00:00+00:00",
        "sunset_at": "2026-01-01T00:00:00+00:00",
        "successor": "2.0",
        "documentation_url": "https://example.com/migrate",
    }
    assert "**Deprecated**" in schema["info"]["description"]


def test_operations_of_a_deprecated_version_are_deprecated_with_headers() -> None:
    """Every operation is ``deprecated``; 2xx responses document Deprecation and Sunset."""
    schema = generate_schema(info("1.0", status=DEPRECATED, sunset_at=_dt("2026-01-01")))
    for item in schema["paths"].values():
        for operation in item.values():
            assert operation["deprecated"] is True
            ok = next(r for code, r in operation["responses"].items() if code.startswith("2"))
            assert ok["headers"]["Deprecation"]["required"] is True
            assert ok["headers"]["Sunset"]["required"] is True
            assert ok["headers"]["API-Version"]["schema"]["enum"] == ["1.0"]


def test_operations_of_a_stable_version_are_not_deprecated() -> None:
    """A stable version's operations carry no deprecation and document API-Version."""
    schema = generate_schema(info("2.1"))
    for item in schema["paths"].values():
        for operation in item.values():
            assert "deprecated" not in operation
            ok = next(r for code, r in operation["responses"].items() if code.startswith("2"))
            assert set(ok["headers"]) == {"API-Version"}


def test_preview_documents_the_lifecycle_header() -> None:
    """A preview version's success responses document ``API-Lifecycle: preview``."""
    schema = generate_schema(info("3.0", status=PREVIEW))
    ok = schema["paths"]["/api/v3/books/"]["get"]["responses"]["200"]
    assert ok["headers"]["API-Lifecycle"]["schema"]["enum"] == ["preview"]


def _version_parameters(operation: dict[str, Any], name: str = "API-Version") -> list[Any]:
    return [
        parameter
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "header" and parameter["name"] == name
    ]


@pytest.mark.parametrize(("version", "required"), [("1.0", True), ("2.0", True), ("1.1", False)])
def test_every_operation_declares_the_version_header(version: str, required: bool) -> None:
    """An older minor's operations require ``API-Version: <it>``; the newest minor's allow it."""
    schema = generate_schema(info(version))
    count = 0
    for item in schema["paths"].values():
        for operation in item.values():
            (parameter,) = _version_parameters(operation)
            assert parameter["required"] is required
            assert parameter["schema"]["enum"] == [version]
            assert parameter["schema"]["type"] == "string"
            assert parameter["description"]
            count += 1
    assert count > 3
    validate(schema)


@override_settings(
    VERSIONING_APP={"VERSIONS": "tests.testapp.versions.VERSIONS", "VERSION_HEADER": "X-Api-Rev"}
)
def test_the_declared_header_follows_the_version_header_setting() -> None:
    """The parameter is named by ``VERSION_HEADER``."""
    operation = generate_schema(info("1.0"))["paths"]["/api/v1/books/"]["get"]
    assert _version_parameters(operation) == []
    (parameter,) = _version_parameters(operation, "X-Api-Rev")
    assert parameter["required"] is True


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("version", "path"), [("1.0", "/api/v1/books/"), ("2.0", "/api/v2/books/")]
)
def test_a_client_following_an_older_minors_document_is_served_that_minor(
    api: Any, version: str, path: str
) -> None:
    """Sending what the document requires (its header, its one value) gets that version."""
    schema = api.get(f"/api/schema/{version}/").json()
    operation = schema["paths"][path]["get"]
    headers = {
        parameter["name"]: parameter["schema"]["enum"][0]
        for parameter in operation["parameters"]
        if parameter["in"] == "header" and parameter["required"]
    }
    response = api.get(path, headers=headers)
    assert response.status_code == 200
    assert response["API-Version"] == version


def test_problem_responses_are_documented() -> None:
    """400, 404 and 410 are problem+json with the Problem component."""
    schema = generate_schema(info("2.1"))
    operation = schema["paths"]["/api/v2/books/"]["post"]
    problem = {"$ref": "#/components/schemas/Problem"}
    for code in ("400", "404", "410"):
        assert operation["responses"][code]["content"]["application/problem+json"]["schema"] == (
            problem
        )
    assert "application/json" in operation["responses"]["400"]["content"]  # validation errors
    assert schema["components"]["schemas"]["Problem"]["required"] == [
        "type",
        "title",
        "status",
        "detail",
    ]


def test_endpoint_deprecation_marks_only_that_operation(monkeypatch: pytest.MonkeyPatch) -> None:
    """A deprecated endpoint is ``deprecated`` with its replacement; its siblings are not."""

    def deprecation(route: str, method: str, number: VersionNumber) -> dict[str, Any] | None:
        if (route, method) == ("book-detail", "DELETE"):
            return {"sunset_at": None, "replacement": "PATCH with `archived`"}
        return None

    monkeypatch.setattr(catalog, "endpoint_deprecation", deprecation)
    schema = generate_schema(info("2.1"))
    detail = schema["paths"]["/api/v2/books/{id}/"]
    assert detail["delete"]["deprecated"] is True
    assert "PATCH with `archived`" in detail["delete"]["description"]
    assert "Deprecation" in detail["delete"]["responses"]["204"]["headers"]
    assert "deprecated" not in detail["get"]


def test_postprocessing_hook_decorates_drf_spectacular_generation() -> None:
    """The hook gives drf-spectacular's own generator the same lifecycle data."""
    generator = SchemaGenerator(api_version="2.1", patterns=major_patterns(2))
    hook = "versioning_app.docs.schema.postprocessing_hook"
    with patched_settings({"POSTPROCESSING_HOOKS": [hook]}):
        schema = generator.get_schema(request=None, public=True)
    assert schema["info"]["x-lifecycle"]["status"] == "stable"
    assert "404" in schema["paths"]["/api/v2/books/"]["get"]["responses"]


def test_decorate_is_idempotent_through_the_hook() -> None:
    """Decorating an already decorated document changes nothing."""
    schema = generate_schema(info("2.1"))
    generator = SchemaGenerator(api_version="2.1", patterns=major_patterns(2))
    generator.inspector = None
    assert postprocessing_hook(json.loads(json.dumps(schema)), generator) == schema


def test_decorate_keeps_responses_the_view_documents() -> None:
    """A 404 the view documents itself is kept."""
    schema = {
        "info": {"title": "t"},
        "paths": {"/x/": {"get": {"responses": {"404": {"description": "mine"}}}}},
    }
    decorated = decorate(schema, info("2.1"), [])
    assert decorated["paths"]["/x/"]["get"]["responses"]["404"] == {"description": "mine"}


@pytest.mark.django_db
def test_cached_document_is_generated_once(
    request: pytest.FixtureRequest, django_assert_num_queries: Any
) -> None:
    """A second fetch of the same version generates nothing and queries nothing."""
    calls: list[str] = []

    def counting(sender: Any, version: VersionNumber, **kwargs: Any) -> None:
        calls.append(str(version))

    schema_generated.connect(counting)
    request.addfinalizer(lambda: schema_generated.disconnect(counting))
    schema_cache.clear_local()
    entry = catalog.info_for(VersionNumber(2, 1))
    assert entry is not None
    first = schema_cache.schema_document(entry)
    with django_assert_num_queries(0):
        second = schema_cache.schema_document(entry)
    assert first == second
    assert calls == ["2.1"]
    schema_cache.clear_local()  # the per-process copy is gone; the shared cache still has it
    assert schema_cache.schema_document(entry) == first
    assert calls == ["2.1"]


def test_cache_key_names_version_generation_and_code() -> None:
    """Keys differ per version and embed the lifecycle generation and code fingerprint."""
    key_20, key_21 = schema_cache.cache_key(info("2.0")), schema_cache.cache_key(info("2.1"))
    assert key_20 != key_21
    assert schema_cache.code_fingerprint() in key_21
    assert catalog.generation() in key_21


def test_code_fingerprint_changes_with_any_module_of_the_package(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A deploy that changes any module of the package (not only its ``__init__``) gets new
    schema cache keys, and so does a new release number."""
    import versioning_app

    copy = tmp_path / "versioning_app"
    shutil.copytree(pathlib.Path(versioning_app.__file__).parent, copy)
    monkeypatch.setattr(versioning_app, "__file__", str(copy / "__init__.py"))
    schema_cache.code_fingerprint.cache_clear()
    before = schema_cache.code_fingerprint()

    with (copy / "docs" / "schema.py").open("a") as source:
        source.write("\n# a deploy changed the schema decorations\n")
    schema_cache.code_fingerprint.cache_clear()
    after_source = schema_cache.code_fingerprint()
    assert after_source != before

    monkeypatch.setattr(versioning_app, "__version__", "99.0")
    schema_cache.code_fingerprint.cache_clear()
    assert schema_cache.code_fingerprint() not in (before, after_source)
    schema_cache.code_fingerprint.cache_clear()


@pytest.mark.django_db
@pytest.mark.example
@pytest.mark.parametrize("version", VERSIONS)
def test_golden_files(version: str, spec_lifecycle: None) -> None:
    """The example project's documents, in the SPEC's lifecycle states, match tests/golden/.

    The states and dates are fixed (``spec_lifecycle``), so ``x-lifecycle``, the deprecated
    operations of 1.x and the preview header of 3.0 are part of the comparison.
    Regenerate with ``VERSIONING_APP_UPDATE_GOLDEN=1 make test PYTEST_ARGS=tests/test_schema.py``.
    """
    entry = catalog.info_for(VersionNumber.parse(version))
    assert entry is not None
    text = json.dumps(generate_schema(entry), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    golden = GOLDEN / f"{version}.json"
    if UPDATE_GOLDEN:
        golden.write_text(text, encoding="utf-8")
    assert golden.read_text(encoding="utf-8") == text


def _dt(day: str) -> Any:
    import datetime

    return datetime.datetime.fromisoformat(day).replace(tzinfo=datetime.UTC)


def _descriptions(schema: dict[str, Any]) -> dict[str, str | None]:
    return {name: c.get("description") for name, c in schema["components"]["schemas"].items()}


def _package_docstrings() -> set[str]:
    import inspect

    import versioning_app.serializers as package_serializers

    classes = [
        value
        for value in vars(package_serializers).values()
        if isinstance(value, type) and value.__module__ == package_serializers.__name__
    ]
    return {inspect.cleandoc(cls.__doc__) for cls in classes if cls.__doc__}


BOOK_DOC = "A book, in the newest version's shape."
AUTHOR_DOC = "An author, as the authors endpoints serve it."


def test_head_components_carry_the_projects_docstrings() -> None:
    """At head, each component is described by its serializer's own docstring."""
    described = _descriptions(generate_schema(info("3.0")))
    assert described["Book"] == BOOK_DOC
    assert described["PatchedBook"] == BOOK_DOC
    assert described["Author"] == AUTHOR_DOC


@pytest.mark.parametrize("version", ["1.0", "1.1", "2.0", "2.1"])
def test_an_older_versions_reshaped_component_does_not_carry_heads_docstring(
    version: str,
) -> None:
    """Book is changed after these versions: head's "newest version's shape" would be wrong.

    Author, which no version changes, keeps its docstring in every version that has it.
    """
    described = _descriptions(generate_schema(info(version)))
    assert described["Book"] is None
    assert described["PatchedBook"] is None
    if "Author" in described:
        assert described["Author"] == AUTHOR_DOC


@override_settings(ROOT_URLCONF="tests.support.urlconfs.undocumented")
@pytest.mark.parametrize("version", VERSIONS)
def test_the_packages_docstrings_never_describe_a_projects_component(version: str) -> None:
    """A serializer without a docstring gets no description, not VersionedModelSerializer's."""
    schema = generate_schema(info(version))
    described = _descriptions(schema)
    assert "UndocumentedAuthor" in described
    assert described["UndocumentedAuthor"] is None
    assert not _package_docstrings() & set(filter(None, described.values()))
    validate(schema)


@override_settings(ROOT_URLCONF="tests.support.urlconfs.undocumented")
def test_drf_spectacular_generation_through_the_hook_describes_components_the_same() -> None:
    """``SpectacularAPIView`` / ``manage.py spectacular`` with the hook get the same rule."""
    hook = "versioning_app.docs.schema.postprocessing_hook"
    for version, book in (("1.0", None), ("3.0", BOOK_DOC)):
        number = VersionNumber.parse(version)
        generator = SchemaGenerator(api_version=version, patterns=major_patterns(number.major))
        with patched_settings({"POSTPROCESSING_HOOKS": [hook]}):
            described = _descriptions(generator.get_schema(request=None, public=True))
        assert described["UndocumentedAuthor"] is None
        assert described["Book"] == book

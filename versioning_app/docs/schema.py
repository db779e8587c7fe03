"""One version's OpenAPI document: drf-spectacular on that major's own URLs, plus lifecycle data.

drf-spectacular does the work; this module only chooses what it looks at (the URL patterns of
one major, so generation stays linear in the number of endpoints) and adds, afterwards, what it
cannot know: the version's lifecycle, deprecated operations, the version headers and the
problem+json error responses.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.urls import Resolver404, URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import EndpointEnumerator, SchemaGenerator
from drf_spectacular.plumbing import detype_patterns
from drf_spectacular.settings import patched_settings, spectacular_settings

from versioning_app.conf import app_settings
from versioning_app.docs import catalog
from versioning_app.docs.catalog import DEPRECATED, PREVIEW, VersionInfo
from versioning_app.docs.descriptions import describe_components
from versioning_app.errors import PROBLEM_CONTENT_TYPE
from versioning_app.versions import VersionNumber, major_from_namespace, namespace_for

if TYPE_CHECKING:
    from rest_framework.request import Request

URLEntry = URLPattern | URLResolver
HTTP_OPERATIONS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

PROBLEM_COMPONENT = "Problem"
ERROR_DETAIL_COMPONENT = "ErrorDetail"
VALIDATION_ERROR_COMPONENT = "ValidationError"

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "An error as RFC 9457 problem details.",
    "properties": {
        "type": {"type": "string", "description": "Identifies the kind of problem."},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "available_versions": {
            "type": "array",
            "items": {"type": "string"},
            "description": "The versions to choose from, on version errors.",
        },
        "successor": {
            "type": "string",
            "nullable": True,
            "description": "The version to move to, when this one is retired.",
        },
        "version": {"type": "string", "description": "The version that was served."},
        "parameter": {
            "type": "string",
            "description": "The query parameter at fault, as the request named it.",
        },
    },
    "required": ["type", "title", "status", "detail"],
}
ERROR_DETAIL_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "An error raised by the view itself (not found, not permitted...).",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Validation errors by field name (in the requested version's field names).",
    "additionalProperties": True,
}


def major_patterns(major: int) -> list[URLEntry]:
    """The root URLconf cut down to the one branch that leads to ``major``'s namespace."""
    return list(_major_patterns(get_resolver(), major))


@lru_cache(maxsize=64)
def _major_patterns(resolver: URLResolver, major: int) -> tuple[URLEntry, ...]:
    # Cached per resolver, and returning the same objects every time matters:
    # drf-spectacular memoises its de-typed copy of the patterns by their identity.
    return tuple(_prune(resolver.url_patterns, namespace_for(major)))


def _prune(patterns: Sequence[URLEntry], namespace: str) -> list[URLEntry]:
    kept: list[URLEntry] = []
    for entry in patterns:
        if not isinstance(entry, URLResolver):
            continue
        if entry.namespace == namespace:
            kept.append(entry)
            continue
        inner = _prune(entry.url_patterns, namespace)
        if inner:
            kept.append(
                URLResolver(
                    entry.pattern, inner, entry.default_kwargs, entry.app_name, entry.namespace
                )
            )
    return kept


_generation_lock = threading.Lock()


def generate_schema(info: VersionInfo) -> dict[str, Any]:
    """Generate the OpenAPI document of one version (uncached; see ``schema_cache``)."""
    patterns = major_patterns(info.number.major)
    generator_class = spectacular_settings.DEFAULT_GENERATOR_CLASS
    generator = generator_class(api_version=str(info.number), patterns=patterns)
    overrides: dict[str, Any] = {}
    if spectacular_settings.SCHEMA_PATH_PREFIX is None:
        # drf-spectacular guesses the prefix from the paths it sees, which differs between a
        # major with one resource and one with several; the namespace's own prefix does not.
        overrides["SCHEMA_PATH_PREFIX"] = re.escape(_namespace_prefix(patterns))
    # patched_settings swaps drf-spectacular's process-wide settings: two threads generating
    # different majors at once would otherwise see each other's path prefix.
    with _generation_lock, patched_settings(overrides):
        schema = generator.get_schema(request=None, public=True)
    describe_components(schema, generator, info.number)
    return decorate(schema, info, patterns)


def postprocessing_hook(
    result: dict[str, Any],
    generator: SchemaGenerator,
    request: Request | None = None,
    public: bool = False,
) -> dict[str, Any]:
    """For ``SPECTACULAR_SETTINGS['POSTPROCESSING_HOOKS']``: decorate drf-spectacular's own views.

    ``SpectacularAPIView(api_version="2.1")`` and ``manage.py spectacular --api-version 2.1``
    then document the lifecycle, headers and problems as ``/api/schema/2.1/`` does.
    """
    try:
        number = VersionNumber.parse(str(generator.api_version or ""))
    except ValueError:
        return result
    info = catalog.info_for(number)
    if info is None or "x-lifecycle" in result.get("info", {}):
        return result
    patterns = generator.inspector.patterns if generator.inspector else major_patterns(number.major)
    describe_components(result, generator, number)
    return decorate(result, info, patterns)


def _namespace_prefix(patterns: Sequence[URLEntry]) -> str:
    """The path of the versioned namespace these pruned patterns lead to, e.g. ``/api/v2``."""
    regex = ""
    entries = list(patterns)
    while len(entries) == 1 and isinstance(entries[0], URLResolver):
        regex += str(entries[0].pattern)
        if major_from_namespace(entries[0].namespace or "") is not None:
            break
        entries = entries[0].url_patterns
    path: str = EndpointEnumerator().get_path_from_regex(regex)
    return "/" + path.strip("/")


def decorate(
    schema: dict[str, Any], info: VersionInfo, patterns: Sequence[URLEntry]
) -> dict[str, Any]:
    """Add the lifecycle, deprecations, version headers and problem responses to a schema."""
    schema["info"]["version"] = str(info.number)
    schema["info"]["title"] = schema["info"].get("title") or "API"
    schema["info"]["x-lifecycle"] = info.lifecycle()
    note = _lifecycle_note(info)
    if note:
        description = schema["info"].get("description", "")
        schema["info"]["description"] = f"{note}\n\n{description}".strip()
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault(PROBLEM_COMPONENT, PROBLEM_SCHEMA)
    components.setdefault(ERROR_DETAIL_COMPONENT, ERROR_DETAIL_SCHEMA)
    components.setdefault(VALIDATION_ERROR_COMPONENT, VALIDATION_ERROR_SCHEMA)
    version_parameter = _version_parameter(info)
    for path, item in schema.get("paths", {}).items():
        route = _route_name(patterns, path)
        for method in HTTP_OPERATIONS:
            operation = item.get(method)
            if operation is None:
                continue
            endpoint = (
                catalog.endpoint_deprecation(route, method.upper(), info.number) if route else None
            )
            _decorate_operation(operation, info, endpoint)
            _add_parameter(operation, version_parameter)
    return schema


def _version_parameter(info: VersionInfo) -> dict[str, Any]:
    """The ``API-Version`` request header that asks for this version.

    Required on an older minor: without it the major's newest minor answers, which is not the
    version the document describes. Optional on the newest minor, which answers without it.
    """
    number = str(info.number)
    newest = app_settings.versions.newest_in_major(info.number.major)
    pinned = newest is None or newest.number != info.number
    if pinned:
        description = (
            f"Pins version {number}: without it, the newest minor of major "
            f"{info.number.major} answers instead."
        )
    else:
        description = f"The version to serve; {number}, the newest minor of its major, by default."
    return {
        "name": app_settings.VERSION_HEADER,
        "in": "header",
        "required": pinned,
        "description": description,
        # The default lets Swagger UI's "Try it out" fill the header in.
        "schema": {"type": "string", "enum": [number], "default": number},
    }


def _add_parameter(operation: dict[str, Any], parameter: dict[str, Any]) -> None:
    name = parameter["name"].lower()
    parameters = operation.setdefault("parameters", [])
    # HTTP header names are case-insensitive: a view's own declaration of the header gives way.
    parameters[:] = [
        entry
        for entry in parameters
        if not (entry.get("in") == "header" and str(entry.get("name", "")).lower() == name)
    ]
    parameters.append({**parameter, "schema": dict(parameter["schema"])})


def _lifecycle_note(info: VersionInfo) -> str:
    if info.status == PREVIEW:
        return f"**Preview**: version {info.number} may still change."
    if info.status != DEPRECATED:
        return ""
    parts = [f"**Deprecated**: version {info.number} is deprecated"]
    if info.sunset_at:
        parts.append(f"and stops answering on {info.sunset_at:%Y-%m-%d}")
    note = " ".join(parts) + "."
    if info.successor:
        note += f" Move to version {info.successor}."
    return note


def _route_name(patterns: Sequence[URLEntry], path: str) -> str | None:
    # The document's paths carry {placeholders}; de-typed patterns accept them as values.
    try:
        match = get_resolver(urlconf=detype_patterns(tuple(patterns))).resolve(path)
    except Resolver404:
        return None
    return match.url_name


def _header(description: str, schema: dict[str, Any], *, required: bool) -> dict[str, Any]:
    return {"description": description, "required": required, "schema": schema}


def _success_headers(info: VersionInfo, endpoint: dict[str, Any] | None) -> dict[str, Any]:
    name = app_settings.VERSION_HEADER
    headers = {
        name: _header(
            "The version that served the request.",
            {"type": "string", "enum": [str(info.number)]},
            required=True,
        )
    }
    if info.status == PREVIEW:
        headers["API-Lifecycle"] = _header(
            "Present while the version is a preview.",
            {"type": "string", "enum": [PREVIEW]},
            required=True,
        )
    deprecated = info.status == DEPRECATED or endpoint is not None
    if deprecated:
        headers["Deprecation"] = _header(
            "When the version or endpoint was deprecated (RFC 9745, `@<unix seconds>`).",
            {"type": "string", "pattern": r"^@-?[0-9]+$"},
            required=True,
        )
        sunset = (endpoint or {}).get("sunset_at") or info.sunset_at
        headers["Sunset"] = _header(
            "When it stops answering (RFC 8594, an HTTP-date).",
            {"type": "string"},
            required=sunset is not None,
        )
        headers["Link"] = _header(
            'Documentation (`rel="deprecation"`) and successor (`rel="successor-version"`) links.',
            {"type": "string"},
            required=False,
        )
    return headers


def _problem(description: str, *, also_json: dict[str, Any] | None = None) -> dict[str, Any]:
    content: dict[str, Any] = {
        PROBLEM_CONTENT_TYPE: {"schema": {"$ref": f"#/components/schemas/{PROBLEM_COMPONENT}"}}
    }
    if also_json is not None:
        content["application/json"] = {"schema": also_json}
    return {
        "description": description,
        "content": content,
        "headers": {
            app_settings.VERSION_HEADER: _header(
                "The version that served the request, when there is one.",
                {"type": "string"},
                required=False,
            )
        },
    }


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _decorate_operation(
    operation: dict[str, Any], info: VersionInfo, endpoint: dict[str, Any] | None
) -> None:
    if info.status == DEPRECATED or endpoint is not None:
        operation["deprecated"] = True
    if endpoint is not None and endpoint.get("replacement"):
        note = f"Deprecated: use {endpoint['replacement']} instead."
        operation["description"] = f"{note}\n\n{operation.get('description', '')}".strip()
    responses = operation.setdefault("responses", {})
    headers = _success_headers(info, endpoint)
    for code, response in responses.items():
        if str(code).startswith("2") and "$ref" not in response:
            response.setdefault("headers", {}).update(headers)
    has_body = "requestBody" in operation
    responses.setdefault(
        "400",
        _problem(
            "Invalid version request header"
            + (", or invalid data (application/json)." if has_body else "."),
            also_json=_ref(VALIDATION_ERROR_COMPONENT) if has_body else None,
        ),
    )
    responses.setdefault(
        "404",
        _problem(
            "Not in this version (problem+json), or no such object (application/json).",
            also_json=_ref(ERROR_DETAIL_COMPONENT),
        ),
    )
    responses.setdefault("410", _problem("The version is retired, or past its sunset."))

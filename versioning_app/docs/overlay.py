"""A version's lifecycle laid over its structural document: cheap, redone on each change.

What changes with the lifecycle (``x-lifecycle``, the banner in ``info.description``, the
``deprecated`` flags, the lifecycle response headers) is added here, to a copy of the document
the code produced (``schema.generate_structure``), so a deprecation never regenerates it.
The structure itself is never changed: the result is a new document that copies only the
objects on the way to what the lifecycle changes and shares the rest (bodies, parameters,
components), so laying a lifecycle over a large document costs little more than walking it.
"""

from __future__ import annotations

from typing import Any

from versioning_app.docs import catalog
from versioning_app.docs.catalog import DEPRECATED, PREVIEW, VersionInfo

HTTP_OPERATIONS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def apply_lifecycle(
    structure: dict[str, Any], info: VersionInfo, routes: dict[str, str | None]
) -> dict[str, Any]:
    """``structure`` with ``info``'s lifecycle (a new document; ``routes``: path to route)."""
    schema = dict(structure)
    schema["info"] = document_info = dict(structure["info"])
    document_info["x-lifecycle"] = info.lifecycle()
    note = lifecycle_note(info)
    if note:
        description = document_info.get("description", "")
        document_info["description"] = f"{note}\n\n{description}".strip()
    version_headers = _lifecycle_headers(info, None)
    paths: dict[str, Any] = {}
    for path, item in structure.get("paths", {}).items():
        route = routes.get(path)
        paths[path] = item = dict(item)
        for method in HTTP_OPERATIONS:
            operation = item.get(method)
            if operation is None:
                continue
            endpoint = (
                catalog.endpoint_deprecation(route, method.upper(), info.number) if route else None
            )
            headers = version_headers if endpoint is None else _lifecycle_headers(info, endpoint)
            if headers or endpoint is not None:
                item[method] = _overlay_operation(operation, info, endpoint, headers)
    schema["paths"] = paths
    return schema


def lifecycle_note(info: VersionInfo) -> str:
    """The banner a preview or deprecated version's description starts with."""
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


def header(description: str, schema: dict[str, Any], *, required: bool) -> dict[str, Any]:
    """A response header's object."""
    return {"description": description, "required": required, "schema": schema}


def _lifecycle_headers(info: VersionInfo, endpoint: dict[str, Any] | None) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if info.status == PREVIEW:
        headers["API-Lifecycle"] = header(
            "Present while the version is a preview.",
            {"type": "string", "enum": [PREVIEW]},
            required=True,
        )
    if info.status == DEPRECATED or endpoint is not None:
        headers["Deprecation"] = header(
            "When the version or endpoint was deprecated (RFC 9745, `@<unix seconds>`).",
            {"type": "string", "pattern": r"^@-?[0-9]+$"},
            required=True,
        )
        sunset = (endpoint or {}).get("sunset_at") or info.sunset_at
        headers["Sunset"] = header(
            "When it stops answering (RFC 8594, an HTTP-date).",
            {"type": "string"},
            required=sunset is not None,
        )
        headers["Link"] = header(
            'Documentation (`rel="deprecation"`) and successor (`rel="successor-version"`) links.',
            {"type": "string"},
            required=False,
        )
    return headers


def _overlay_operation(
    operation: dict[str, Any],
    info: VersionInfo,
    endpoint: dict[str, Any] | None,
    headers: dict[str, Any],
) -> dict[str, Any]:
    operation = dict(operation)
    if info.status == DEPRECATED or endpoint is not None:
        operation["deprecated"] = True
    if endpoint is not None and endpoint.get("replacement"):
        note = f"Deprecated: use {endpoint['replacement']} instead."
        operation["description"] = f"{note}\n\n{operation.get('description', '')}".strip()
    if not headers:
        return operation
    responses = operation["responses"] = dict(operation.get("responses", {}))
    for code, response in responses.items():
        if str(code).startswith("2") and "$ref" not in response:
            responses[code] = {**response, "headers": {**response.get("headers", {}), **headers}}
    return operation

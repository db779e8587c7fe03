"""The compatibility guard: a minor release must not break the minor before it in its major.

Each minor's generated OpenAPI document is compared with its predecessor's. Breaking: an
endpoint or a field that disappears (removed or renamed), a field whose type or format changes,
a request field or parameter that becomes required, an enum choice that disappears.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from versioning_app.conf import app_settings
from versioning_app.docs.catalog import STABLE, VersionInfo
from versioning_app.docs.schema import HTTP_OPERATIONS, generate_schema
from versioning_app.versions import Version

REQUEST, RESPONSE = "request", "response"


@dataclass(frozen=True)
class Violation:
    """One breaking difference between a minor and its predecessor."""

    version: str
    predecessor: str
    message: str

    def __str__(self) -> str:
        return f"{self.version} breaks {self.predecessor}: {self.message}"


def minor_pairs() -> Iterator[tuple[Version, Version]]:
    """Every (predecessor, minor) pair of consecutive minors within one major."""
    for minors in app_settings.versions.majors.values():
        yield from itertools.pairwise(minors)


def check_compatibility(
    pairs: Iterable[tuple[Version, Version]] | None = None,
) -> list[Violation]:
    """Compare every minor with its predecessor; an empty list means no breaking change.

    ``pairs`` defaults to ``minor_pairs()``; a command passes them through its progress display.
    """
    schemas: dict[str, dict[str, Any]] = {}

    def schema_of(version: Version) -> dict[str, Any]:
        # Lifecycle state does not change shapes, so none is read (no database needed).
        key = str(version.number)
        if key not in schemas:
            schemas[key] = generate_schema(VersionInfo(version=version, status=STABLE))
        return schemas[key]

    violations: list[Violation] = []
    for old, new in minor_pairs() if pairs is None else pairs:
        messages = compare_schemas(schema_of(old), schema_of(new))
        violations.extend(Violation(str(new.number), str(old.number), m) for m in messages)
    return violations


def compare_schemas(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """The breaking changes from ``old`` to ``new``, one message each, in a stable order."""
    return _Comparison(old, new).run()


class _Comparison:
    def __init__(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        self.old, self.new = old, new
        self.messages: list[str] = []
        self._seen: set[tuple[str, str, str]] = set()

    def run(self) -> list[str]:
        new_paths = self.new.get("paths", {})
        for path, old_item in sorted(self.old.get("paths", {}).items()):
            for method in HTTP_OPERATIONS:
                old_op = old_item.get(method)
                if old_op is None:
                    continue
                new_op = new_paths.get(path, {}).get(method)
                where = f"{method.upper()} {path}"
                if new_op is None:
                    self.messages.append(f"endpoint {where} removed")
                    continue
                self._parameters(where, old_op, new_op)
                self._request(where, old_op, new_op)
                self._responses(where, old_op, new_op)
        return self.messages

    def _parameters(self, where: str, old_op: dict[str, Any], new_op: dict[str, Any]) -> None:
        # Each document's version header names its own version: an old client keeps sending
        # the old value, and is served the old version, so that parameter is never a break.
        version = ("header", app_settings.VERSION_HEADER.lower())
        old = {
            (p["in"], p["name"]): p
            for p in map(self._resolve_old, old_op.get("parameters", []))
            if (p["in"], p["name"].lower()) != version
        }
        new = {
            (p["in"], p["name"]): p
            for p in map(self._resolve_new, new_op.get("parameters", []))
            if (p["in"], p["name"].lower()) != version
        }
        for key, param in sorted(new.items()):
            if param.get("required") and not old.get(key, {}).get("required"):
                self.messages.append(f"{where}: {key[0]} parameter {key[1]} newly required")
        for key, param in sorted(old.items()):
            if key in new and "schema" in param and "schema" in new[key]:
                self._compare(
                    REQUEST,
                    f"{where} {key[0]} parameter {key[1]}",
                    param["schema"],
                    new[key]["schema"],
                )

    def _request(self, where: str, old_op: dict[str, Any], new_op: dict[str, Any]) -> None:
        old_body = self._resolve_old(old_op.get("requestBody", {}))
        new_body = self._resolve_new(new_op.get("requestBody", {}))
        if new_body.get("required") and old_body and not old_body.get("required"):
            self.messages.append(f"{where}: request body newly required")
        for media, content in sorted(old_body.get("content", {}).items()):
            new_content = new_body.get("content", {}).get(media)
            if new_content is None:
                self.messages.append(f"{where}: request content type {media} removed")
            elif "schema" in content and "schema" in new_content:
                self._compare(REQUEST, f"{where} request", content["schema"], new_content["schema"])

    def _responses(self, where: str, old_op: dict[str, Any], new_op: dict[str, Any]) -> None:
        for code, response in sorted(old_op.get("responses", {}).items()):
            if not str(code).startswith("2"):
                continue
            old_response = self._resolve_old(response)
            new_response = self._resolve_new(new_op.get("responses", {}).get(code, {}))
            if not new_response:
                self.messages.append(f"{where}: response {code} removed")
                continue
            for media, content in sorted(old_response.get("content", {}).items()):
                new_content = new_response.get("content", {}).get(media)
                if new_content is None:
                    self.messages.append(f"{where}: response {code} content type {media} removed")
                elif "schema" in content and "schema" in new_content:
                    self._compare(
                        RESPONSE,
                        f"{where} response {code}",
                        content["schema"],
                        new_content["schema"],
                    )

    def _resolve_old(self, node: dict[str, Any]) -> dict[str, Any]:
        return _resolve(self.old, node)

    def _resolve_new(self, node: dict[str, Any]) -> dict[str, Any]:
        return _resolve(self.new, node)

    def _compare(
        self, direction: str, where: str, old: dict[str, Any], new: dict[str, Any]
    ) -> None:
        # A shared component is compared once per direction, and named by its component.
        ref = old.get("$ref") or _single_all_of_ref(old)
        if ref:
            where = ref.rsplit("/", 1)[-1]
            key = (direction, ref, new.get("$ref") or _single_all_of_ref(new) or "")
            if key in self._seen:
                return
            self._seen.add(key)
        old, new = _flatten(self.old, old), _flatten(self.new, new)
        old_type, new_type = _type_of(old), _type_of(new)
        if old_type and new_type and old_type != new_type:
            self.messages.append(f"{direction} {where} changed type {old_type} -> {new_type}")
            return
        if "enum" in old and "enum" in new:
            for choice in old["enum"]:
                if choice not in new["enum"] and choice is not None:
                    self.messages.append(f"{direction} {where} enum choice {choice!r} removed")
        if "items" in old and "items" in new:
            self._compare(direction, f"{where}[]", old["items"], new["items"])
        self._properties(direction, where, old, new)

    def _properties(
        self, direction: str, where: str, old: dict[str, Any], new: dict[str, Any]
    ) -> None:
        hidden = "readOnly" if direction == REQUEST else "writeOnly"
        old_props = {
            name: prop
            for name, prop in old.get("properties", {}).items()
            if not _flatten(self.old, prop).get(hidden)
        }
        new_props = {
            name: prop
            for name, prop in new.get("properties", {}).items()
            if not _flatten(self.new, prop).get(hidden)
        }
        for name in sorted(old_props):
            if name not in new_props:
                self.messages.append(f"{direction} field {where}.{name} removed or renamed")
            else:
                self._compare(direction, f"{where}.{name}", old_props[name], new_props[name])
        if direction == REQUEST:
            old_required = set(old.get("required", ()))
            for name in sorted(set(new.get("required", ())) - old_required):
                if name in new_props:
                    self.messages.append(f"request field {where}.{name} newly required")


def _resolve(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    seen = 0
    while isinstance(node, dict) and "$ref" in node and seen < 32:
        target: Any = document
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        node, seen = target, seen + 1
    return node if isinstance(node, dict) else {}


def _single_all_of_ref(node: dict[str, Any]) -> str | None:
    # drf-spectacular wraps a reference in allOf to add nullable/readOnly/description.
    parts = node.get("allOf") or node.get("oneOf") or []
    refs = [part["$ref"] for part in parts if isinstance(part, dict) and "$ref" in part]
    return refs[0] if len(refs) == 1 else None


def _flatten(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    node = _resolve(document, node)
    parts = node.get("allOf")
    if not parts:
        return node
    merged = {key: value for key, value in node.items() if key != "allOf"}
    for part in parts:
        part = _flatten(document, part)
        for key, value in part.items():
            if key == "properties":
                merged.setdefault("properties", {}).update(value)
            elif key == "required":
                merged["required"] = [*merged.get("required", []), *value]
            else:
                merged.setdefault(key, value)
    return merged


def _type_of(node: dict[str, Any]) -> str:
    kind = node.get("type")
    if kind is None and "enum" in node:
        kinds = {type(choice).__name__ for choice in node["enum"] if choice is not None}
        kind = {"str": "string", "int": "integer", "bool": "boolean"}.get(next(iter(kinds), ""), "")
    if not kind:
        return ""
    return f"{kind}/{node['format']}" if "format" in node else str(kind)

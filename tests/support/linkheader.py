"""A small RFC 8288 ``Link`` header parser for the tests (URI-reference and parameters)."""

from __future__ import annotations

import re

_LINK_VALUE = re.compile(
    r'\s*<(?P<uri>[^<>\s]*)>(?P<params>(?:\s*;\s*[!#$%&\'*+.^_`|~0-9A-Za-z-]+\s*=\s*(?:"[^"]*"|[^\s;,"]+))*)\s*(?:,|$)'
)
_PARAM = re.compile(r';\s*(?P<name>[^\s=]+)\s*=\s*(?:"(?P<quoted>[^"]*)"|(?P<token>[^\s;,"]+))')


def parse_links(value: str) -> list[tuple[str, dict[str, str]]]:
    """Parse a ``Link`` field value into (URI, params); raise ValueError if it is malformed."""
    links: list[tuple[str, dict[str, str]]] = []
    position = 0
    while position < len(value):
        match = _LINK_VALUE.match(value, position)
        if match is None or match.end() == position:
            raise ValueError(f"malformed Link at {position}: {value[position:]!r}")
        params = {
            param["name"].lower(): param["quoted"]
            if param["quoted"] is not None
            else param["token"]
            for param in _PARAM.finditer(match["params"])
        }
        links.append((match["uri"], params))
        position = match.end()
    return links


def links_by_rel(value: str) -> dict[str, list[str]]:
    """Target URIs of a ``Link`` value, grouped by relation type."""
    grouped: dict[str, list[str]] = {}
    for uri, params in parse_links(value):
        for rel in params.get("rel", "").split():
            grouped.setdefault(rel, []).append(uri)
    return grouped

"""Assertions about a response's lifecycle, parsing the headers as their RFCs define them.

``Deprecation`` (RFC 9745): a structured-field date, ``@<unix seconds>``. ``Sunset`` (RFC
8594): an HTTP-date in the IMF-fixdate form, ``Sun, 06 Nov 1994 08:49:37 GMT``. ``Link``
(RFC 8288): link-values ``<uri>; rel="..."``, relation types compared case-insensitively.
Each assertion raises ``AssertionError`` with what was wrong, and returns what it parsed.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any, Protocol

from versioning_app.conf import app_settings

__all__ = [
    "LifecycleHeaders",
    "assert_brownout",
    "assert_deprecated",
    "assert_gone",
    "assert_not_deprecated",
    "assert_read_only",
    "parse_deprecation",
    "parse_links",
    "parse_sunset",
]

PROBLEM_CONTENT_TYPE = "application/problem+json"
_SF_DATE = re.compile(r"@-?[0-9]{1,15}")
_IMF_FIXDATE = re.compile(
    r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} "
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT"
)
_LINK_VALUE = re.compile(
    r"\s*<(?P<uri>[^<>\s]*)>(?P<params>(?:\s*;\s*[!#$%&\'*+.^_`|~0-9A-Za-z-]+\s*=\s*"
    r'(?:"[^"]*"|[^\s;,"]+))*)\s*(?:,|$)'
)
_PARAM = re.compile(r';\s*(?P<name>[^\s=]+)\s*=\s*(?:"(?P<quoted>[^"]*)"|(?P<token>[^\s;,"]+))')


class Response(Protocol):
    """What the assertions read: Django's and DRF's test responses both fit."""

    status_code: int
    headers: Mapping[str, str]
    content: bytes


@dataclass(frozen=True)
class LifecycleHeaders:
    """A response's lifecycle headers, parsed."""

    deprecated_at: datetime.datetime | None
    sunset_at: datetime.datetime | None
    #: Target URIs by relation type (lower case).
    links: dict[str, list[str]] = field(default_factory=dict)
    preview: bool = False


def parse_deprecation(value: str) -> datetime.datetime:
    """An RFC 9745 ``Deprecation`` value (``@1767225600``) as an aware UTC datetime."""
    if not _SF_DATE.fullmatch(value.strip()):
        raise AssertionError(f"Deprecation is not an RFC 9745 date (@<unix seconds>): {value!r}")
    return datetime.datetime.fromtimestamp(int(value.strip()[1:]), tz=datetime.UTC)


def parse_sunset(value: str) -> datetime.datetime:
    """An RFC 8594 ``Sunset`` value (an IMF-fixdate HTTP-date, in GMT) as an aware datetime."""
    if not _IMF_FIXDATE.fullmatch(value.strip()):
        raise AssertionError(f"Sunset is not an HTTP-date (IMF-fixdate, GMT): {value!r}")
    return parsedate_to_datetime(value.strip()).astimezone(datetime.UTC)


def parse_links(value: str) -> dict[str, list[str]]:
    """An RFC 8288 ``Link`` value: target URIs grouped by relation type (lower case)."""
    grouped: dict[str, list[str]] = {}
    position = 0
    while position < len(value):
        match = _LINK_VALUE.match(value, position)
        if match is None or match.end() == position:
            raise AssertionError(f"malformed Link header at {position}: {value[position:]!r}")
        for param in _PARAM.finditer(match["params"]):
            if param["name"].lower() == "rel":
                rels = param["quoted"] if param["quoted"] is not None else param["token"]
                for rel in rels.lower().split():
                    grouped.setdefault(rel, []).append(match["uri"])
        position = match.end()
    return grouped


def _headers(response: Response) -> LifecycleHeaders:
    headers = response.headers
    deprecation, sunset = headers.get("Deprecation"), headers.get("Sunset")
    return LifecycleHeaders(
        deprecated_at=parse_deprecation(deprecation) if deprecation is not None else None,
        sunset_at=parse_sunset(sunset) if sunset is not None else None,
        links=parse_links(headers.get("Link", "")),
        preview=headers.get("API-Lifecycle") == "preview",
    )


def _check_link(links: dict[str, list[str]], rel: str, expected: str | None) -> None:
    if expected is None:
        return
    found = links.get(rel, [])
    if not any(uri == expected or uri.endswith(expected) for uri in found):
        raise AssertionError(f'expected Link <{expected}>; rel="{rel}", found {found or "none"}')


def _close(name: str, got: datetime.datetime | None, expected: datetime.datetime | None) -> None:
    if expected is None:
        return
    if expected.tzinfo is None:
        expected = expected.replace(tzinfo=datetime.UTC)
    # Both headers carry whole seconds.
    if got is None or abs((got - expected).total_seconds()) >= 1:
        raise AssertionError(f"expected {name} {expected.isoformat()}, got {got}")


def assert_deprecated(
    response: Response,
    *,
    deprecated_at: datetime.datetime | None = None,
    sunset_at: datetime.datetime | None = None,
    successor: str | None = None,
    documentation: str | None = None,
) -> LifecycleHeaders:
    """The response is served (2xx/3xx) and announces its deprecation.

    ``successor`` and ``documentation`` are the expected ``successor-version`` and
    ``deprecation`` link targets (a path matches a full URL ending in it).
    """
    if response.status_code >= 400:
        raise AssertionError(f"a deprecated response is served; got {response.status_code}")
    parsed = _headers(response)
    if parsed.deprecated_at is None:
        raise AssertionError("no Deprecation header")
    _close("Deprecation", parsed.deprecated_at, deprecated_at)
    if sunset_at is not None and parsed.sunset_at is None:
        raise AssertionError("no Sunset header")
    _close("Sunset", parsed.sunset_at, sunset_at)
    _check_link(parsed.links, "successor-version", successor)
    _check_link(parsed.links, "deprecation", documentation)
    return parsed


def assert_not_deprecated(response: Response) -> None:
    """The response carries none of the deprecation headers."""
    present = [name for name in ("Deprecation", "Sunset") if name in response.headers]
    if present:
        raise AssertionError(f"unexpected {', '.join(present)} header(s)")


def _problem(response: Response, status: int, slug: str) -> dict[str, Any]:
    if response.status_code != status:
        raise AssertionError(f"expected {status}, got {response.status_code}")
    content_type = response.headers.get("Content-Type", "")
    if not content_type.startswith(PROBLEM_CONTENT_TYPE):
        raise AssertionError(f"expected {PROBLEM_CONTENT_TYPE}, got {content_type!r}")
    body: dict[str, Any] = json.loads(response.content)
    expected = f"{app_settings.PROBLEM_TYPE_BASE}{slug}"
    if body.get("type") != expected:
        raise AssertionError(f"expected a problem of type {expected}, got {body.get('type')!r}")
    return body


def _check_successor(response: Response, body: dict[str, Any], successor: str | None) -> None:
    if successor is None:
        return
    if body.get("successor") != successor:
        raise AssertionError(f"expected successor {successor}, got {body.get('successor')!r}")
    if not parse_links(response.headers.get("Link", "")).get("successor-version"):
        raise AssertionError('no Link with rel="successor-version"')


def assert_gone(response: Response, *, successor: str | None = None) -> dict[str, Any]:
    """410 Gone problem+json of a retired version (or a retired endpoint); returns the body."""
    slug = "version-retired"
    if response.status_code == 410 and b"endpoint-retired" in response.content:
        slug = "endpoint-retired"
    body = _problem(response, 410, slug)
    _check_successor(response, body, successor)
    return body


def assert_brownout(
    response: Response, *, successor: str | None = None
) -> tuple[dict[str, Any], int]:
    """410 problem+json of type ``brownout`` with ``Retry-After``; returns the body and the
    seconds to wait."""
    body = _problem(response, 410, "brownout")
    retry = response.headers.get("Retry-After", "")
    if not retry.isdigit() or int(retry) < 1:
        raise AssertionError(f"expected Retry-After in seconds, got {retry!r}")
    _check_successor(response, body, successor)
    return body, int(retry)


def assert_read_only(response: Response, *, successor: str | None = None) -> dict[str, Any]:
    """410 problem+json of type ``read-only`` (a write to a read-only version)."""
    body = _problem(response, 410, "read-only")
    _check_successor(response, body, successor)
    return body

"""The published catalog: each declared version with its lifecycle, as the docs show it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, fields
from typing import Any

from versioning_app.conf import app_settings
from versioning_app.lifecycle import clock
from versioning_app.lifecycle.snapshot import (
    DEPRECATED,
    PREVIEW,
    RETIRED,
    STABLE,
    VersionState,
    get_snapshot,
)
from versioning_app.versions import Version, VersionNumber

__all__ = ["DEPRECATED", "PREVIEW", "RETIRED", "STABLE", "VersionInfo", "catalog", "info_for"]


@dataclass(frozen=True, kw_only=True)
class VersionInfo(VersionState):
    """One version as the documentation sees it: its declaration and its lifecycle state."""

    version: Version
    number: VersionNumber = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "number", self.version.number)

    def is_gone(self, now: datetime.datetime | None = None) -> bool:
        """Whether the version answers 410 (retired, or past its sunset), as the API decides."""
        return super().is_gone(now or clock.now())

    @property
    def served(self) -> bool:
        """Whether the version still answers (documentation included)."""
        return not self.is_gone()

    @property
    def shown_status(self) -> str:
        """The status a reader should see: ``retired`` once past the sunset, else the stored one."""
        return RETIRED if self.status != RETIRED and self.is_gone() else self.status

    def lifecycle(self) -> dict[str, Any]:
        """The ``x-lifecycle`` object: status, dates (ISO 8601), successor, documentation."""
        return {
            "status": self.status,
            "released_at": _iso(self.released_at),
            "deprecated_at": _iso(self.deprecated_at),
            "sunset_at": _iso(self.sunset_at),
            "successor": str(self.successor) if self.successor else None,
            "documentation_url": self.documentation_url or None,
        }


def _iso(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def catalog() -> list[VersionInfo]:
    """Every declared version, oldest first, with its current lifecycle state."""
    return [_info(version) for version in app_settings.versions]


def info_for(number: VersionNumber) -> VersionInfo | None:
    """The catalog entry of one version, if it is declared."""
    version = app_settings.versions.get(number)
    return _info(version) if version is not None else None


def default_version(entries: list[VersionInfo] | None = None) -> VersionInfo | None:
    """The version the docs open at: the newest stable one, else the newest still served."""
    entries = catalog() if entries is None else entries
    for wanted in ((STABLE,), (PREVIEW, DEPRECATED)):
        matching = [entry for entry in entries if entry.status in wanted and entry.served]
        if matching:
            return matching[-1]
    return None


def generation() -> str:
    """A token that changes whenever the lifecycle changes (part of the schema cache keys)."""
    return get_snapshot().fingerprint


def endpoint_deprecation(route: str, method: str, number: VersionNumber) -> dict[str, Any] | None:
    """The deprecation of one operation in one version (dates, replacement), if any."""
    item = get_snapshot().endpoint_deprecation(route, method, number)
    if item is None:
        return None
    return {
        "deprecated_at": _iso(item.deprecated_at),
        "sunset_at": _iso(item.sunset_at),
        "replacement": item.replacement or None,
        "documentation_url": item.documentation_url or None,
        "note": item.note or None,
    }


def _info(version: Version) -> VersionInfo:
    state = get_snapshot().version(version.number)
    lifecycle = {f.name: getattr(state, f.name) for f in fields(VersionState) if f.name != "number"}
    return VersionInfo(version=version, **lifecycle)

"""The API changelog: each version's declared changes and lifecycle dates, newest first.

Written for the API's clients: a change without a description gets a neutral sentence that names
no serializer, function or URL name of the project (``versioning_app.W065`` asks for a
description), and a retired version shows when it was retired rather than a sunset to come.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from versioning_app.changes import (
    Change,
    DataMigration,
    EndpointAdded,
    EndpointChange,
    EndpointRemoved,
    EnumChoiceAdded,
    EnumChoiceRemoved,
    FieldAdded,
    FieldRemoved,
    FieldRenamed,
    FieldTypeChanged,
    RequestMigration,
)
from versioning_app.docs import catalog, markdown
from versioning_app.docs.catalog import RETIRED, VersionInfo
from versioning_app.models import Status


def status_label(status: str) -> str:
    """A status as people read it, in the active language (``deprecated``, ``veraltet``)."""
    return str(Status(status).label) if status in Status.values else status


def change_sentence(change: Change) -> str:
    """The changelog's line for a change: its description, else a neutral sentence."""
    return change.description or neutral_sentence(change)


def neutral_sentence(change: Change) -> str:
    """A sentence for an undescribed change that names only what clients see (field names)."""
    name = getattr(change, "name", "")
    if isinstance(change, EndpointAdded):
        return _("An endpoint was added.")
    if isinstance(change, EndpointRemoved):
        return _("An endpoint was removed.")
    if isinstance(change, FieldRenamed):
        return _("Field `%(old)s` renamed to `%(new)s`.") % {"old": change.old, "new": name}
    if isinstance(change, FieldAdded):
        return _("Field `%(name)s` added.") % {"name": name}
    if isinstance(change, FieldRemoved):
        return _("Field `%(name)s` removed.") % {"name": name}
    if isinstance(change, FieldTypeChanged):
        return _("Field `%(name)s` changed type.") % {"name": name}
    if isinstance(change, EnumChoiceAdded | EnumChoiceRemoved):
        values = ", ".join(f"`{value}`" for value in change.choices)
        if isinstance(change, EnumChoiceAdded):
            return _("Field `%(name)s` accepts %(values)s.") % {"name": name, "values": values}
        return _("Field `%(name)s` no longer accepts %(values)s.") % {
            "name": name,
            "values": values,
        }
    if isinstance(change, RequestMigration):
        return _("Request data is converted to this version's shape.")
    if isinstance(change, DataMigration):
        return _("Response data is converted to this version's shape.")
    return _("Request or response shapes changed.")


def undescribed(change: Change) -> bool:
    """Whether the changelog falls back to a vague sentence for ``change`` (W065 warns)."""
    return not change.description and isinstance(change, EndpointChange | DataMigration)


def _docs_urls(entry: VersionInfo) -> dict[str, str | None]:
    urls: dict[str, str | None] = {"docs_url": None, "redoc_url": None}
    if not entry.served:
        return urls
    try:
        for key, name in (("docs_url", "docs-version"), ("redoc_url", "redoc-version")):
            urls[key] = reverse(f"versioning_app:{name}", args=[str(entry.number)])
    except NoReverseMatch:  # the project did not include versioning_app.urls
        return {"docs_url": None, "redoc_url": None}
    return urls


def _dates(entry: VersionInfo, now: datetime.datetime) -> dict[str, Any]:
    # A gone version shows when it went (its sunset, once past); a sunset still to come is no
    # date of a retired version's life (it was retired early), so it is left out.
    lifecycle = entry.lifecycle()
    gone = not entry.served
    past_sunset = entry.sunset_at is not None and entry.sunset_at <= now
    lifecycle["status"] = entry.shown_status
    lifecycle["retired_at"] = lifecycle["sunset_at"] if gone and past_sunset else None
    if entry.shown_status == RETIRED and not past_sunset:
        lifecycle["sunset_at"] = None
    return lifecycle


def build_changelog() -> dict[str, Any]:
    """The changelog as data: ``{"versions": [...]}``, newest version first."""
    now = timezone.now()
    return {
        "versions": [
            {
                "version": str(entry.number),
                "description": entry.version.description,
                **_dates(entry, now),
                **_docs_urls(entry),
                "changes": [change_sentence(change) for change in entry.version.changes],
            }
            for entry in reversed(catalog.catalog())
        ]
    }


def date_line(entry: dict[str, Any]) -> list[str]:
    """The version's dates and successor as short phrases (``released 2026-01-10``, ...)."""
    phrases = [
        label % {"date": entry[key][:10]}
        for key, label in (
            ("released_at", _("released %(date)s")),
            ("deprecated_at", _("deprecated %(date)s")),
            ("sunset_at", _("sunset %(date)s")),
            ("retired_at", _("retired %(date)s")),
        )
        if entry.get(key)
    ]
    if entry["status"] == RETIRED and not entry.get("retired_at"):
        phrases.append(_("retired"))
    if entry["successor"]:
        phrases.append(_("successor %(version)s") % {"version": entry["successor"]})
    return phrases


def no_changes() -> str:
    """The line of a version that declares no change."""
    return _("No changes to request or response shapes.")


def to_markdown(changelog: dict[str, Any]) -> str:
    """Render the changelog as Markdown: the page's content, one section per version."""
    lines = [f"# {_('API changelog')}", ""]
    for entry in changelog["versions"]:
        lines.append(f"## {entry['version']} ({status_label(entry['status'])})")
        lines.append("")
        dates = date_line(entry)
        if dates:
            lines.extend([f"_{', '.join(dates)}_", ""])
        links = [
            f"[{label}]({entry[key]})"
            for key, label in (
                ("docs_url", _("Swagger UI")),
                ("redoc_url", _("Redoc")),
                ("documentation_url", _("Migration guide")),
            )
            if entry.get(key) and markdown.safe_url(entry[key])
        ]
        if links:
            lines.extend([" · ".join(links), ""])
        if entry["description"]:
            lines.extend([markdown.to_markdown(entry["description"]), ""])
        if entry["changes"]:
            lines.extend(f"- {markdown.to_markdown(change)}" for change in entry["changes"])
        else:
            lines.append(f"- {no_changes()}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"

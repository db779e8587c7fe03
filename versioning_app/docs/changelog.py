"""The API changelog: each version's declared changes and lifecycle dates, newest first."""

from __future__ import annotations

from typing import Any

from versioning_app.docs import catalog


def build_changelog() -> dict[str, Any]:
    """The changelog as data: ``{"versions": [...]}``, newest version first."""
    return {
        "versions": [
            {
                "version": str(entry.number),
                "description": entry.version.description,
                **entry.lifecycle(),
                "changes": [change.describe() for change in entry.version.changes],
            }
            for entry in reversed(catalog.catalog())
        ]
    }


def to_markdown(changelog: dict[str, Any]) -> str:
    """Render the changelog as Markdown: one section per version, one bullet per change."""
    lines = ["# API changelog", ""]
    for entry in changelog["versions"]:
        lines.append(f"## {entry['version']} ({entry['status']})")
        lines.append("")
        dates = [
            f"{label} {entry[key][:10]}"
            for key, label in (
                ("released_at", "released"),
                ("deprecated_at", "deprecated"),
                ("sunset_at", "sunset"),
            )
            if entry[key]
        ]
        if entry["successor"]:
            dates.append(f"successor {entry['successor']}")
        if dates:
            lines.extend([f"_{', '.join(dates)}_", ""])
        if entry["description"]:
            lines.extend([entry["description"], ""])
        if entry["changes"]:
            lines.extend(f"- {change}" for change in entry["changes"])
        else:
            lines.append("- No changes to request or response shapes.")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"

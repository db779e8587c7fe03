"""Template tags of usage tracking: ``{% usage_for_retire version %}`` for confirmation pages."""

from __future__ import annotations

from typing import Any

from django import template

from versioning_app.usage.stats import DEFAULT_DAYS, retire_usage_context

register = template.Library()


@register.inclusion_tag("admin/versioning_app/includes/usage_for_retire.html")
def usage_for_retire(version: object, days: int = DEFAULT_DAYS) -> dict[str, Any]:
    """Who called ``version`` in the last ``days`` days, and whether it is safe to retire."""
    return {"report": retire_usage_context(str(version), days)}

"""Template tags of the clients wing: ``{% clients_for_retire version days %}``."""

from __future__ import annotations

from typing import Any

from django import template

from versioning_app.clients.retire import retire_decision
from versioning_app.usage.stats import DEFAULT_DAYS

register = template.Library()


@register.inclusion_tag("admin/versioning_app/includes/clients_for_retire.html")
def clients_for_retire(version: object, days: int = DEFAULT_DAYS) -> dict[str, Any]:
    """The clients that still call ``version``, by label, and whether it is safe to retire."""
    return {"decision": retire_decision(str(version), days)}

"""System checks of the clients wing: settings that contradict each other.

The clients settings' own ids (E100-E104) are declared with the settings, in ``settings_spec``.
"""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Tags, Warning, register

from versioning_app.conf import app_settings
from versioning_app.settings_spec import SETTINGS_NAME


@register(Tags.compatibility)
def check_clients(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Pinning needs usage counting: client rows and first pins are made by the usage flush."""
    if app_settings.CLIENTS_PINNING is True and app_settings.USAGE_ENABLED is False:
        return [
            Warning(
                f"{SETTINGS_NAME}['CLIENTS_PINNING'] is on but USAGE_ENABLED is off: clients and "
                "their first pins are created by the usage flush, so nobody would be pinned.",
                hint="Turn USAGE_ENABLED on, or CLIENTS_PINNING off.",
                id="versioning_app.W100",
            )
        ]
    return []

"""The app config: registers the system checks."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VersioningAppConfig(AppConfig):
    """Wiring done once the app registry is ready."""

    name = "versioning_app"
    verbose_name = _("API versions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the system checks."""
        from . import change_checks, checks, usage_checks  # noqa: F401  (register on import)

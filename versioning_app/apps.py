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
        """Register the system checks; hook the schema cache to settings changes."""
        # Imported for their side effects: check registration, setting_changed receivers.
        from . import change_checks, checks, checks_docs, schema_cache, usage_checks  # noqa: F401

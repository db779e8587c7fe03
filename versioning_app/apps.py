"""The app config: registers the system checks and the lifecycle signal receivers."""

from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class VersioningAppConfig(AppConfig):
    """Wiring done once the app registry is ready."""

    name = "versioning_app"
    verbose_name = _("API versions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the system checks and the schema cache's receivers; keep lifecycle rows
        and worker snapshots up to date."""
        # Imported for their side effects: check registration, setting_changed receivers.
        from versioning_app import checks  # noqa: F401
        from versioning_app.clients import checks as clients_checks  # noqa: F401
        from versioning_app.clients import receivers as clients_receivers  # noqa: F401
        from versioning_app.docs import cache  # noqa: F401
        from versioning_app.docs import checks as docs_checks  # noqa: F401
        from versioning_app.docs import parameters as docs_parameters  # noqa: F401
        from versioning_app.lifecycle import checks as lifecycle_checks  # noqa: F401
        from versioning_app.lifecycle import receivers  # noqa: F401
        from versioning_app.lifecycle.sync import sync_after_migrate
        from versioning_app.query import checks as query_checks  # noqa: F401
        from versioning_app.usage import checks as usage_checks  # noqa: F401

        post_migrate.connect(
            sync_after_migrate, sender=self, dispatch_uid="versioning_app.lifecycle.sync"
        )

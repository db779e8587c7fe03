"""The app config: registers the system checks and the lifecycle signal receivers."""

from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
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
        from . import (  # noqa: F401
            change_checks,
            checks,
            checks_docs,
            lifecycle_checks,
            schema_cache,
            usage_checks,
        )
        from .models import EndpointDeprecation, VersionLifecycle
        from .snapshot import lifecycle_changed
        from .sync import sync_after_migrate

        post_migrate.connect(sync_after_migrate, sender=self, dispatch_uid="versioning_app.sync")
        for model in (VersionLifecycle, EndpointDeprecation):
            for signal in (post_save, post_delete):
                signal.connect(
                    lifecycle_changed,
                    sender=model,
                    dispatch_uid=f"versioning_app.lifecycle.{signal is post_save}.{model.__name__}",
                )

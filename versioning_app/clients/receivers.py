"""A client or pin saved in this process shows in its own clients view at once.

Only an accelerator, like the lifecycle's: every process reloads the view within
``LIFECYCLE_REFRESH_SECONDS`` whatever wrote the rows. Imported by ``apps.ready()``.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from versioning_app.clients.models import Client, Pin
from versioning_app.clients.snapshot import invalidate_local


@receiver([post_save, post_delete], sender=Client)
@receiver([post_save, post_delete], sender=Pin)
def clients_changed(using: str, **kwargs: Any) -> None:
    """Drop this process's clients view now, and again once the change is committed."""
    invalidate_local()
    transaction.on_commit(invalidate_local, using=using)

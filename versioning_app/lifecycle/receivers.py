"""A lifecycle save or delete made in this process shows in its own snapshot at once.

Only an accelerator: every process, this one included, reloads the rows at each revalidation
(``snapshot``), so changes that send no signal (``QuerySet.update()``, ``bulk_create()``, raw
SQL, another service) arrive within ``LIFECYCLE_REFRESH_SECONDS`` all the same. Imported by
``VersioningAppConfig.ready()``.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from versioning_app.lifecycle.snapshot import invalidate_local
from versioning_app.models import Brownout, EndpointDeprecation, VersionLifecycle


@receiver([post_save, post_delete], sender=VersionLifecycle)
@receiver([post_save, post_delete], sender=Brownout)
@receiver([post_save, post_delete], sender=EndpointDeprecation)
def lifecycle_changed(using: str, **kwargs: Any) -> None:
    """Drop this process's snapshot now, and again once the change is committed."""
    # Now: the next read in this transaction sees the (uncommitted) change. On commit: another
    # thread may have reloaded the committed state in between, which would hide the change
    # from this process until the next revalidation.
    invalidate_local()
    transaction.on_commit(invalidate_local, using=using)

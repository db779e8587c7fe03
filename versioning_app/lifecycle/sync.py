"""Keep one lifecycle row per declared version: created after ``migrate`` and by a command."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.utils import timezone

from versioning_app.conf import app_settings
from versioning_app.models import Status, VersionLifecycle
from versioning_app.versions import VersionBundle


@dataclass
class SyncReport:
    """What a sync found and did, as version strings."""

    created: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)


def out_of_sync(
    bundle: VersionBundle | None = None, using: str = DEFAULT_DB_ALIAS
) -> tuple[list[str], list[str]]:
    """Declared versions without a row, and rows whose version is no longer declared."""

    bundle = bundle if bundle is not None else app_settings.versions
    declared = {str(version.number) for version in bundle}
    stored = set(VersionLifecycle.objects.using(using).values_list("version", flat=True))
    return (
        [str(v.number) for v in bundle if str(v.number) not in stored],
        sorted(stored - declared, key=lambda s: tuple(map(int, s.split(".")))),
    )


def sync_versions(
    bundle: VersionBundle | None = None, *, prune: bool = False, using: str = DEFAULT_DB_ALIAS
) -> SyncReport:
    """Create the rows of newly declared versions; with ``prune``, delete undeclared ones."""

    bundle = bundle if bundle is not None else app_settings.versions
    report = SyncReport()
    status = app_settings.NEW_VERSION_STATUS
    with transaction.atomic(using=using):
        missing, report.stale = out_of_sync(bundle, using)
        for version in missing:
            VersionLifecycle(
                version=version,
                status=status,
                released_at=timezone.now() if status == Status.STABLE else None,
            ).save(using=using)
        report.created = missing
        if prune and report.stale:
            VersionLifecycle.objects.using(using).filter(version__in=report.stale).delete()
            report.pruned, report.stale = report.stale, []
    return report


def sync_after_migrate(using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """``post_migrate`` receiver: create the rows of declared versions once the table exists."""

    if not router.allow_migrate_model(using, VersionLifecycle):
        return
    if VersionLifecycle._meta.db_table not in connections[using].introspection.table_names():
        return  # migrated backwards past our first migration
    sync_versions(using=using)

"""System checks of the lifecycle rows (ids W040-W059; the settings' E040-E042 are in
``settings_spec``): rows out of sync with the declared versions, retired versions no longer
declared (W046), deprecations and brownouts naming routes no versioned URL has."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.checks import CheckMessage, Tags, Warning, register
from django.db import DatabaseError

from versioning_app.conf import app_settings
from versioning_app.lifecycle.sync import out_of_sync
from versioning_app.models import Brownout, EndpointDeprecation, Status, VersionLifecycle
from versioning_app.routing import mounted_versions


@register(Tags.database)
def check_lifecycle_rows(
    app_configs: Any = None, databases: Sequence[str] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """Lifecycle rows match the declared versions; endpoint deprecations name served routes.

    A database check: it runs with ``check --database default`` and before ``migrate``.
    """

    errors: list[CheckMessage] = []
    if not databases or "default" not in databases:
        return errors
    try:
        bundle = app_settings.versions
    except Exception:
        return errors
    try:
        missing, stale = out_of_sync(bundle)
        deprecations = list(EndpointDeprecation.objects.values_list("route", flat=True))
        # Retired versions must stay declared (issue 16): then they answer 410 for good.
        retired = set(
            VersionLifecycle.objects.filter(version__in=stale, status=Status.RETIRED).values_list(
                "version", flat=True
            )
        )
        windows = list(Brownout.objects.exclude(route="").values_list("route", flat=True))
    except DatabaseError:
        return errors  # not migrated yet: `migrate` creates the table and the rows
    if missing:
        errors.append(
            Warning(
                f"Declared versions without a lifecycle row: {', '.join(missing)}.",
                hint="Run `manage.py migrate` or `manage.py api_versions --sync`.",
                id="versioning_app.W040",
            )
        )
    if retired:
        errors.append(
            Warning(
                f"Retired versions are no longer declared: {', '.join(sorted(retired))}. Their "
                "clients get a bare 404 (unknown version) instead of the 410 naming the successor.",
                hint="Keep retired versions in VERSIONS: they serve their 410 for ever, and give "
                "clients a version to test their 410 handling on.",
                id="versioning_app.W046",
            )
        )
    stale = [version for version in stale if version not in retired]
    if stale:
        errors.append(
            Warning(
                f"Lifecycle rows of versions that are no longer declared: {', '.join(stale)}.",
                hint="Run `manage.py api_versions --sync --prune` to delete them.",
                id="versioning_app.W041",
            )
        )
    try:
        _majors, routes = mounted_versions()
    except Exception:
        return errors
    unknown = sorted(set(deprecations) - routes)
    if unknown and routes:
        errors.append(
            Warning(
                f"Endpoint deprecations name routes that no versioned URL has: "
                f"{', '.join(unknown)}.",
                hint="Fix or delete them in the admin (API versions > Endpoint deprecations).",
                id="versioning_app.W043",
            )
        )
    unknown_windows = sorted(set(windows) - routes)
    if unknown_windows and routes:
        errors.append(
            Warning(
                f"Brownouts name routes that no versioned URL has: {', '.join(unknown_windows)}.",
                hint="Fix or delete them in the admin (API versions > Brownouts).",
                id="versioning_app.W047",
            )
        )
    return errors

"""What the versions admin shows besides its columns: badges, compact dates, sparklines, the
lifecycle timeline, and the version page's panel (usage, links, lifecycle buttons)."""

from __future__ import annotations

import datetime
from functools import cached_property
from typing import Any

from django.contrib.admin.views.main import ChangeList
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from versioning_app.admin.charts import TimelineVersion, Window, sparkline, thousands, timeline
from versioning_app.models import Brownout, Status, VersionLifecycle
from versioning_app.usage.series import daily_requests
from versioning_app.usage.stats import DEFAULT_DAYS, version_usage

#: The lifecycle actions a version's status allows, in the order its page shows them.
ACTIONS_BY_STATUS: dict[str, tuple[str, ...]] = {
    Status.PREVIEW: ("stabilize",),
    Status.STABLE: ("deprecate",),
    Status.DEPRECATED: ("deprecate", "cancel_deprecation", "retire"),
    Status.RETIRED: (),
}
ACTION_LABELS = {
    "stabilize": gettext_lazy("Mark stable…"),
    "deprecate": gettext_lazy("Deprecate…"),
    "cancel_deprecation": gettext_lazy("Cancel the deprecation…"),
    "retire": gettext_lazy("Retire…"),
}


def status_badge(row: VersionLifecycle) -> SafeString:
    """The status as a coloured badge (colours in admin.css: no style attribute)."""
    return format_html(
        '<span class="versioning-badge versioning-badge-{}">{}</span>',
        row.status,
        row.get_status_display(),
    )


def short_date(moment: datetime.datetime | None) -> str:
    """The day (UTC) of ``moment``, or "-"."""
    return "-" if moment is None else f"{moment.astimezone(datetime.UTC):%Y-%m-%d}"


def refusal(row: VersionLifecycle, action: str) -> str:
    """Why ``action`` does not apply to ``row`` (its status allows other actions)."""
    messages = {
        "stabilize": _("%(version)s is %(status)s: only a preview version can be marked stable."),
        "deprecate": _("%(version)s is %(status)s: only a stable version can be deprecated."),
        "retire": _("%(version)s is %(status)s: only a deprecated version can be retired."),
        "cancel_deprecation": _("%(version)s is %(status)s, not deprecated."),
    }
    return messages[action] % {"version": row.version, "status": row.get_status_display()}


class _PageSeries:
    """The daily requests of a page's versions, read (one query) when first drawn."""

    def __init__(self, versions: list[str]) -> None:
        self.versions = versions

    @cached_property
    def series(self) -> dict[str, list[int]]:
        return daily_requests(DEFAULT_DAYS, versions=self.versions)

    def sparkline(self, version: str) -> SafeString:
        """One version's 30-day sparkline."""
        return sparkline(self.series.get(version, []), version=version)


class UsageChangeList(ChangeList):
    """The versions list; its rows draw their 30-day sparklines from one shared query."""

    def get_results(self, request: HttpRequest) -> None:
        """The page's rows, sharing one lazy read of their daily requests."""
        super().get_results(request)
        rows = list(self.result_list)
        page = _PageSeries([row.version for row in rows])
        for row in rows:
            row.usage_series = page
        self.result_list = rows


def lifecycle_timeline(
    brownouts: dict[str, list[Window]] | None = None, now: datetime.datetime | None = None
) -> SafeString:
    """Every version's lifecycle on one axis; ``brownouts``: per version, its (start, end)."""
    windows = brownouts if brownouts is not None else brownout_windows()
    rows = [
        TimelineVersion(
            row.version,
            row.status,
            row.released_at,
            row.deprecated_at,
            row.sunset_at,
            windows.get(row.version, []),
        )
        for row in VersionLifecycle.objects.order_by("major", "minor")
    ]
    if not rows:
        return SafeString("")
    return timeline(rows, now=now or timezone.now())


def brownout_windows() -> dict[str, list[Window]]:
    """Per version, its brownouts as (start, end), oldest first: the timeline's marks."""
    windows: dict[str, list[Window]] = {}
    rows = Brownout.objects.order_by("starts_at").values_list(
        "version__version", "starts_at", "ends_at"
    )
    for version, start, end in rows:
        windows.setdefault(version, []).append((start, end))
    return windows


def _url(name: str, *args: str) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # the project may not mount the docs
        return None


def version_panel(row: VersionLifecycle, *, can_change: bool) -> dict[str, Any]:
    """What the version's page shows above its form: badge, usage, links, lifecycle buttons."""
    usage = version_usage(DEFAULT_DAYS, versions=[row.version])[row.version]
    series = daily_requests(DEFAULT_DAYS, versions=[row.version])[row.version]
    changelog = _url("versioning_app:changelog")
    summary = _url("admin:versioning_app_usagerecord_summary")
    links = [
        (_("Docs"), _url("versioning_app:docs-version", row.version)),
        (_("Changelog"), f"{changelog}#v{row.version}" if changelog else None),
        (_("Usage"), f"{summary}?version={row.version}" if summary else None),
    ]
    actions = ACTIONS_BY_STATUS.get(row.status, ()) if can_change else ()
    return {
        "badge": status_badge(row),
        "requests": thousands(usage.requests),
        "clients": thousands(usage.clients),
        "client_count": usage.clients,
        "days": DEFAULT_DAYS,
        "last_seen": usage.last_seen,
        "sparkline": sparkline(series, version=row.version),
        "links": [(label, url) for label, url in links if url],
        "actions": [(action, ACTION_LABELS[action]) for action in actions],
        "changelist": _url("admin:versioning_app_versionlifecycle_changelist"),
    }

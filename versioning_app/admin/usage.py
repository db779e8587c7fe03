"""Usage in the admin: daily rows with filters and CSV export, a summary page, "safe to retire"."""

from __future__ import annotations

import datetime

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from versioning_app.admin.charts import daily_bars, thousands
from versioning_app.conf import app_settings
from versioning_app.models import Status, UsageFlush, UsageRecord, UsageSummary, VersionLifecycle
from versioning_app.usage.buffer import hash_client
from versioning_app.usage.series import daily_requests, period_days
from versioning_app.usage.stats import (
    DEFAULT_DAYS,
    GROUPS,
    VersionUsage,
    last_flush,
    period_start,
    records,
    to_csv,
    usage_table,
    version_usage,
)

#: The periods offered by the filters and the summary page, in days.
PERIODS = (7, 30, 90, 365)
_CSV_COLUMNS = ["day", "version", "route", "method", "client", "count", "last_seen"]
#: The summary's columns and groupings in words (the CSV keeps the field names).
COLUMN_LABELS = {
    "version": _("Version"),
    "route": _("Endpoint"),
    "method": _("Method"),
    "client": _("Client"),
    "requests": _("Requests"),
    "clients": _("Distinct clients"),
    "last_seen": _("Last seen (UTC)"),
}
GROUP_LABELS = {
    "version": _("version"),
    "endpoint": _("endpoint"),
    "client": _("client"),
    "endpoint-client": _("endpoint and client"),
}
_CSS = {"all": ["versioning_app/admin.css"]}


class VersionFilter(admin.SimpleListFilter):
    """The declared versions, newest first."""

    title = _("version")
    parameter_name = "version"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        """One choice per declared version."""
        return [(str(v), str(v)) for v in reversed(app_settings.versions.versions)]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[UsageRecord]
    ) -> QuerySet[UsageRecord]:
        """Rows of the chosen version."""
        return queryset.filter(version=self.value()) if self.value() else queryset


class PeriodFilter(admin.SimpleListFilter):
    """The last N days (UTC), today included."""

    title = _("period")
    parameter_name = "period"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        """The offered periods."""
        return [(str(days), _("Last %(days)d days") % {"days": days}) for days in PERIODS]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[UsageRecord]
    ) -> QuerySet[UsageRecord]:
        """Rows of the chosen period; an unknown value filters nothing."""
        value = self.value()
        if value and value.isdigit() and int(value) in PERIODS:
            return queryset.filter(day__gte=period_start(int(value)))
        return queryset


def _period(request: HttpRequest) -> int:
    value = request.GET.get("days", "")
    return int(value) if value.isdigit() and int(value) in PERIODS else DEFAULT_DAYS


@admin.register(UsageRecord)
class UsageRecordAdmin(admin.ModelAdmin):
    """Daily usage rows: read-only, filterable, searchable by client (or user name), CSV."""

    # Fits a 1366 px window: method and endpoint in one column, the client's hash shortened.
    list_display = ["day_iso", "version", "endpoint", "client_short", "requests", "last_seen_short"]
    list_filter = [PeriodFilter, VersionFilter, "route", "method"]
    search_fields = ["client", "route"]
    date_hierarchy = "day"
    list_per_page = 100
    change_list_template = "admin/versioning_app/usagerecord/change_list.html"

    class Media:
        css = _CSS

    @admin.display(description=_("day"), ordering="day")
    def day_iso(self, obj: UsageRecord) -> str:
        """The day (UTC) as 2026-11-29: short, and sorts as it reads."""
        return obj.day.isoformat()

    @admin.display(description=_("endpoint"), ordering="route")
    def endpoint(self, obj: UsageRecord) -> str:
        """The method and the URL name, e.g. ``GET book-list``."""
        return f"{obj.method} {obj.route}"

    @admin.display(description=_("client"), ordering="client")
    def client_short(self, obj: UsageRecord) -> str:
        """The client, its keyed hash shortened (the whole value in the tooltip)."""
        if len(obj.client) <= 20:
            return obj.client
        return format_html('<span title="{}">{}…</span>', obj.client, obj.client[:16])

    @admin.display(description=_("requests"), ordering="count")
    def requests(self, obj: UsageRecord) -> str:
        """The day's requests, with thousands separators."""
        return format_html('<span class="va-num">{}</span>', thousands(obj.count))

    @admin.display(description=_("last seen (UTC)"), ordering="last_seen")
    def last_seen_short(self, obj: UsageRecord) -> str:
        """The time of the day's last call (the row's day is the date)."""
        return f"{obj.last_seen.astimezone(datetime.UTC):%H:%M}"

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Rows come from the flush only."""
        return False

    def has_change_permission(self, request: HttpRequest, obj: UsageRecord | None = None) -> bool:
        """Counts are facts: nobody edits them."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj: UsageRecord | None = None) -> bool:
        """Counts are facts: nobody deletes them (retention prunes old days)."""
        return False

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[UsageRecord], search_term: str
    ) -> tuple[QuerySet[UsageRecord], bool]:
        """Also find a user's rows by user name or e-mail: their stored client is a hash."""
        results, duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if term:
            user_model = get_user_model()
            users = user_model._default_manager.filter(
                Q(**{user_model.USERNAME_FIELD: term}) | Q(email__iexact=term)
                if hasattr(user_model, "email")
                else Q(**{user_model.USERNAME_FIELD: term})
            ).values_list("pk", flat=True)
            clients = [hash_client("user", pk) for pk in users[:20]]
            if clients:
                results = results | queryset.filter(client__in=clients)
        return results, duplicates

    def get_urls(self) -> list[URLPattern]:
        """The changelist's CSV export and the summary page, before the default URLs."""
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name=f"{prefix}_export",
            ),
            path(
                "summary/",
                self.admin_site.admin_view(self.summary_view),
                name=f"{prefix}_summary",
            ),
            *super().get_urls(),
        ]

    def export_view(self, request: HttpRequest) -> HttpResponse:
        """The changelist's rows, with its filters and search, as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        rows = changelist.get_queryset(request).values(*_CSV_COLUMNS)
        return _csv_response(to_csv(list(rows), _CSV_COLUMNS), "api-usage-rows.csv")

    def summary_view(self, request: HttpRequest) -> HttpResponse:
        """Totals per version, endpoint or client over a period, with "safe to retire"."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        days = _period(request)
        group = request.GET.get("group", "endpoint")
        group = group if group in GROUPS else "endpoint"
        version = request.GET.get("version") or None
        route = request.GET.get("route") or None
        client = request.GET.get("client") or None
        table = usage_table(records(days, version=version, route=route, client=client), group)
        columns = [*GROUPS[group], "requests", "clients", "last_seen"]
        if request.GET.get("format") == "csv":
            return _csv_response(to_csv(table, columns), f"api-usage-{group}-{days}d.csv")
        usage = list(version_usage(days).values())[::-1]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("API usage summary"),
            "days": days,
            "periods": PERIODS,
            "group": group,
            "groups": [(name, GROUP_LABELS.get(name, name)) for name in GROUPS],
            "group_label": GROUP_LABELS.get(group, group),
            "column_labels": [COLUMN_LABELS.get(column, column) for column in columns],
            "display_rows": [[_display(row.get(column)) for column in columns] for row in table],
            "version_rows": _version_rows(usage),
            "chart": _daily_chart(days, version, [u.version for u in reversed(usage)]),
            "version": version or "",
            "route": route or "",
            "client": client or "",
            "versions": [str(v) for v in reversed(app_settings.versions.versions)],
            "columns": columns,
            "rows": [[row.get(column) for column in columns] for row in table],
            "version_usage": usage,
            "last_flush": last_flush(),
            "csv_query": _with(request, format="csv"),
        }
        return TemplateResponse(request, "admin/versioning_app/usage_summary.html", context)


@admin.register(UsageFlush)
class UsageFlushAdmin(admin.ModelAdmin):
    """The flushed buffer slots: when the figures were last brought up to date."""

    list_display = ["slot_start", "slot_seconds", "requests", "flushed_at"]
    date_hierarchy = "slot_start"

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Written by the flush only."""
        return False

    def has_change_permission(self, request: HttpRequest, obj: UsageFlush | None = None) -> bool:
        """Written by the flush only."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj: UsageFlush | None = None) -> bool:
        """A deleted flush row would let its slot be counted twice."""
        return False


@admin.register(UsageSummary)
class UsageSummaryAdmin(admin.ModelAdmin):
    """The admin index's "Usage summary" link: it opens the summary page."""

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, object] | None = None
    ) -> HttpResponse:
        """Go to the summary page (the usage records' permission decides)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        return HttpResponseRedirect(reverse("admin:versioning_app_usagerecord_summary"))

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        """Whoever may view the usage records."""
        return request.user.has_perm("versioning_app.view_usagerecord")

    def has_add_permission(self, request: HttpRequest) -> bool:
        """A summary has nothing to add."""
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        """A summary has nothing to change."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        """A summary has nothing to delete."""
        return False


def _display(value: object) -> tuple[str, bool]:
    """A summary cell in words: (text, is a number)."""
    if isinstance(value, datetime.datetime):
        return f"{value.astimezone(datetime.UTC):%Y-%m-%d %H:%M}", False
    if isinstance(value, int):
        return thousands(value), True
    return str(value), False


def _version_rows(usage: list[VersionUsage]) -> list[dict[str, object]]:
    """Per version, its figures and its verdict; a retired version is retired, not "unsafe"."""
    statuses = dict(VersionLifecycle.objects.values_list("version", "status"))
    return [
        {
            "usage": item,
            "requests": thousands(item.requests),
            "clients": thousands(item.clients),
            "retired": statuses.get(item.version) == Status.RETIRED,
        }
        for item in usage
    ]


def _daily_chart(days: int, version: str | None, order: list[str]) -> str:
    """Requests per day and version over the period (of one version when chosen)."""
    series = daily_requests(days, versions=[version] if version else None)
    ordered = {name: series[name] for name in order if name in series}
    ordered.update({name: values for name, values in series.items() if name not in ordered})
    return daily_bars(period_days(days), ordered)


def _with(request: HttpRequest, **changes: str) -> str:
    query = request.GET.copy()
    for name, value in changes.items():
        query[name] = value
    return query.urlencode()


def _csv_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

"""Usage in the admin: daily rows with filters and CSV export, a summary page, "safe to retire"."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from versioning_app.conf import app_settings
from versioning_app.models import UsageFlush, UsageRecord
from versioning_app.usage.buffer import hash_client
from versioning_app.usage.stats import (
    DEFAULT_DAYS,
    GROUPS,
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

    list_display = ["day", "version", "route", "method", "client", "count", "last_seen"]
    list_filter = [PeriodFilter, VersionFilter, "route", "method"]
    search_fields = ["client", "route"]
    date_hierarchy = "day"
    list_per_page = 100
    change_list_template = "admin/versioning_app/usagerecord/change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Rows come from the flush only."""
        return False

    def has_change_permission(self, request: HttpRequest, obj: UsageRecord | None = None) -> bool:
        """Counts are facts: nobody edits them."""
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
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("API usage summary"),
            "days": days,
            "periods": PERIODS,
            "group": group,
            "groups": list(GROUPS),
            "version": version or "",
            "route": route or "",
            "client": client or "",
            "versions": [str(v) for v in reversed(app_settings.versions.versions)],
            "columns": columns,
            "rows": [[row.get(column) for column in columns] for row in table],
            "version_usage": list(version_usage(days).values())[::-1],
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


def _with(request: HttpRequest, **changes: str) -> str:
    query = request.GET.copy()
    for name, value in changes.items():
        query[name] = value
    return query.urlencode()


def _csv_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

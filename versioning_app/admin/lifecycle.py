"""The lifecycle admin: versions with status badges, usage and actions; endpoint deprecations.

Status changes happen only through the actions, which call ``versioning_app.lifecycle``: the
same rules as the commands and project code. A refused change shows why and saves nothing.
The usage columns and the retire page's callers come from ``versioning_app.usage_stats``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.views.main import ChangeList
from django.db import models, transaction
from django.db.models import DateTimeField, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from versioning_app import lifecycle
from versioning_app.admin.brownouts import PolicyForm
from versioning_app.admin.charts import thousands
from versioning_app.admin.forms import (
    URL_SCHEME,
    ConfirmForm,
    DeprecateForm,
    EndpointDeprecationForm,
    StabilizeForm,
)
from versioning_app.admin.panels import (
    UsageChangeList,
    lifecycle_timeline,
    refusal,
    short_date,
    status_badge,
    version_panel,
)
from versioning_app.clients.retire import retire_decisions
from versioning_app.conf import app_settings
from versioning_app.lifecycle import history
from versioning_app.models import EndpointDeprecation, Status, VersionLifecycle
from versioning_app.usage.stats import DEFAULT_DAYS, retire_usage_contexts, usage_annotations

if TYPE_CHECKING:
    # Typing-only helpers from django-stubs-ext (not a runtime dependency).
    from django_stubs_ext import StrOrPromise, WithAnnotations

    from versioning_app.usage.stats import UsageAnnotations

    #: A changelist row: a version with the figures of ``get_queryset()``.
    UsageRow = WithAnnotations[VersionLifecycle, UsageAnnotations]

_TEMPLATES = "admin/versioning_app/versionlifecycle/"
# Sorting by last call puts never-called versions with the oldest on every database (PostgreSQL
# sorts NULL last, SQLite first).
_LAST_SEEN_ORDER = Coalesce(
    "usage_last_seen",
    Value(datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)),
    output_field=DateTimeField(),
)

Apply = Callable[[VersionLifecycle, dict[str, Any], Any], VersionLifecycle]


@admin.register(VersionLifecycle)
class VersionLifecycleAdmin(admin.ModelAdmin):
    """API versions: where each one is in its life. The version itself is read-only."""

    # The columns that decide first, compact enough to fit a 1366 px window beside the admin's
    # sidebars: the successor after the status, deprecation and sunset days in one column, the
    # 30-day trend beside the requests. The release date is on the timeline and the version page.
    list_display = [
        "version",
        "status_badge",
        "deprecation",
        "usage_requests",
        "usage_clients",
        "usage_last_seen",
    ]
    list_filter = ["status", "major"]
    list_select_related = ["successor"]
    search_fields = ["version", "notes"]
    ordering = ["major", "minor"]
    fields = [
        "version",
        "status",
        "released_at",
        "deprecated_at",
        "sunset_at",
        "successor",
        "documentation_url",
        "notes",
        "read_only",
        "new_clients_until",
        "updated_at",
    ]
    # The policies (read-only, no new clients) are checked by the rules (issue 16).
    form = PolicyForm
    # Status, dates and successor change through the actions, which enforce the rules.
    readonly_fields = ["version", "status", "deprecated_at", "sunset_at", "successor", "updated_at"]
    actions = ["deprecate", "retire", "stabilize", "cancel_deprecation"]
    formfield_overrides = {models.URLField: URL_SCHEME}
    change_list_template = f"{_TEMPLATES}change_list.html"
    change_form_template = f"{_TEMPLATES}change_form.html"

    class Media:
        css = {"all": ["versioning_app/admin.css"]}

    @admin.display(description=_("status → successor"), ordering="status")
    def status_badge(self, obj: VersionLifecycle) -> str:
        """The status as a coloured badge, then the successor if there is one."""
        if obj.successor is None:
            return status_badge(obj)
        return format_html(
            '{} <span class="va-successor">→ {}</span>', status_badge(obj), obj.successor.version
        )

    @admin.display(description=_("deprecated → sunset"), ordering="sunset_at")
    def deprecation(self, obj: VersionLifecycle) -> str:
        """The deprecation and sunset days (UTC), one column."""
        if obj.deprecated_at is None and obj.sunset_at is None:
            return "-"
        return format_html("{} → {}", short_date(obj.deprecated_at), short_date(obj.sunset_at))

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        """A changelist that fetches the shown versions' daily requests in one query."""
        return UsageChangeList

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """The list, with the lifecycle timeline of every version above it."""
        # A callable: the template draws it only when it shows the list (not for an action).
        extra = {"lifecycle_timeline": lifecycle_timeline, **(extra_context or {})}
        return super().changelist_view(request, extra)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """The form, with the version's badge, usage, links and lifecycle buttons above it."""
        row = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if row is not None:
            extra["version_panel"] = version_panel(
                row, can_change=self.has_change_permission(request, row)
            )
        return super().change_view(request, object_id, form_url, extra)

    def get_queryset(self, request: HttpRequest) -> QuerySet[VersionLifecycle]:
        """The rows with their usage figures, computed in the same query (no query per row)."""
        # ``ModelAdmin`` is not generic at run time, so the stubs see ``super()``'s rows as Any.
        rows: QuerySet[VersionLifecycle] = super().get_queryset(request)
        return rows.annotate(**usage_annotations(DEFAULT_DAYS))

    @admin.display(
        description=format_lazy(_("requests ({days} days)"), days=DEFAULT_DAYS),
        ordering="usage_requests",
    )
    def usage_requests(self, obj: UsageRow) -> str:
        """Requests in the last 30 days (as of the last usage flush), and their daily trend."""
        return format_html(
            '<span class="va-usage"><span class="va-num">{}</span>{}</span>',
            thousands(obj.usage_requests),
            obj.usage_series.sparkline(obj.version) if hasattr(obj, "usage_series") else "",
        )

    @admin.display(
        description=format_lazy(_("clients ({days} days)"), days=DEFAULT_DAYS),
        ordering="usage_clients",
    )
    def usage_clients(self, obj: UsageRow) -> str:
        """Distinct clients in the last 30 days."""
        return thousands(obj.usage_clients)

    @admin.display(description=_("last seen"), ordering=_LAST_SEEN_ORDER)
    def usage_last_seen(self, obj: UsageRow) -> str:
        """The day of the last call ever recorded (the time in the tooltip), or "-"."""
        if obj.usage_last_seen is None:
            return "-"
        return format_html(
            '<span title="{} UTC">{}</span>',
            f"{obj.usage_last_seen.astimezone(datetime.UTC):%Y-%m-%d %H:%M}",
            short_date(obj.usage_last_seen),
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Rows come from the declared versions (``post_migrate`` / ``api_versions --sync``)."""
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: VersionLifecycle | None = None
    ) -> bool:
        """Only the rows of versions that are no longer declared may be deleted."""
        if obj is not None and obj.number in app_settings.versions:
            return False
        return super().has_delete_permission(request, obj)

    # --- actions ---------------------------------------------------------------------------

    @admin.action(description=_("Deprecate selected versions…"), permissions=["change"])
    def deprecate(
        self, request: HttpRequest, queryset: QuerySet[VersionLifecycle]
    ) -> HttpResponse | None:
        """Deprecate, with the deprecation date, sunset date, successor and documentation link."""

        def apply(row: VersionLifecycle, data: dict[str, Any], user: Any) -> VersionLifecycle:
            return lifecycle.deprecate(
                row,
                deprecated_at=data["deprecated_at"],
                sunset_at=data.get("sunset_at"),
                successor=data.get("successor"),
                documentation_url=data.get("documentation_url") or None,
                user=user,
            )

        return self._intermediate(
            request, queryset, "deprecate", DeprecateForm, apply, history.deprecated,
            title=_("Deprecate API versions"), submit=_("Deprecate"),
            allowed=(Status.STABLE, Status.DEPRECATED),
        )  # fmt: skip

    @admin.action(description=_("Retire selected versions…"), permissions=["change"])
    def retire(
        self, request: HttpRequest, queryset: QuerySet[VersionLifecycle]
    ) -> HttpResponse | None:
        """Retire after a confirmation page that shows who called each version lately."""

        def apply(row: VersionLifecycle, data: dict[str, Any], user: Any) -> VersionLifecycle:
            return lifecycle.retire(row, user=user)

        def usage(rows: list[VersionLifecycle]) -> dict[str, Any]:
            versions = [row.version for row in rows]
            reports = retire_usage_contexts(versions)
            # Every selected version's clients at once: the page's queries do not grow with it.
            decisions = retire_decisions(versions, DEFAULT_DAYS)
            for report in reports:
                report["decision"] = decisions[report["version"]]
            return {"usage_reports": reports}

        return self._intermediate(
            request, queryset, "retire", ConfirmForm, apply, history.retired,
            title=_("Retire API versions"), submit=_("Yes, retire"), template="retire.html",
            extra_context=usage, allowed=(Status.DEPRECATED,),
        )  # fmt: skip

    @admin.action(description=_("Mark selected versions stable…"), permissions=["change"])
    def stabilize(
        self, request: HttpRequest, queryset: QuerySet[VersionLifecycle]
    ) -> HttpResponse | None:
        """Mark preview versions stable, with their release date."""

        def apply(row: VersionLifecycle, data: dict[str, Any], user: Any) -> VersionLifecycle:
            return lifecycle.stabilize(row, released_at=data.get("released_at"), user=user)

        return self._intermediate(
            request, queryset, "stabilize", StabilizeForm, apply, history.stabilized,
            title=_("Mark API versions stable"), submit=_("Mark stable"),
            allowed=(Status.PREVIEW,),
        )  # fmt: skip

    @admin.action(
        description=_("Cancel the deprecation of selected versions…"), permissions=["change"]
    )
    def cancel_deprecation(
        self, request: HttpRequest, queryset: QuerySet[VersionLifecycle]
    ) -> HttpResponse | None:
        """Make deprecated versions stable again, clearing their dates and successor."""

        def apply(row: VersionLifecycle, data: dict[str, Any], user: Any) -> VersionLifecycle:
            return lifecycle.cancel_deprecation(row, user=user)

        return self._intermediate(
            request, queryset, "cancel_deprecation", ConfirmForm, apply, history.cancelled,
            title=_("Cancel deprecations"), submit=_("Cancel the deprecation"),
            allowed=(Status.DEPRECATED,),
        )  # fmt: skip

    def _intermediate(
        self,
        request: HttpRequest,
        queryset: QuerySet[VersionLifecycle],
        action: str,
        form_class: type[forms.Form],
        apply: Apply,
        describe: Callable[[VersionLifecycle], str],
        *,
        title: StrOrPromise,
        submit: StrOrPromise,
        allowed: tuple[str, ...],
        template: str = "action_form.html",
        extra_context: Callable[[list[VersionLifecycle]], dict[str, Any]] | None = None,
    ) -> HttpResponse | None:
        """Show the action's form; on submit apply it to every row, all or nothing.

        A refusal keeps the form with its input and names every problem (one per version).
        """
        rows = list(queryset.order_by("major", "minor"))
        data = request.POST if "apply" in request.POST else None
        form = form_class(data, rows=rows)  # type: ignore[call-arg]  # our forms take rows
        # Versions the action cannot apply to are named before anything is tried.
        misfits = [refusal(row, action) for row in rows if row.status not in allowed]
        for problem in misfits:
            form.add_error(None, problem)
        if form.is_bound and not misfits and form.is_valid():
            done, problems = self._apply_all(rows, form.cleaned_data, apply, request.user)
            if not problems:
                names = ", ".join(row.version for row in done)
                message = gettext("%(action)s: %(versions)s. %(change)s") % {
                    "action": title,
                    "versions": names,
                    "change": describe(done[-1]),
                }
                self.message_user(request, message, messages.SUCCESS)
                return None
            for problem in problems:
                form.add_error(None, problem)
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "subtitle": None,
            "opts": self.model._meta,
            "queryset": rows,
            "form": form,
            "action": action,
            "submit_label": submit,
            "can_submit": not misfits,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
            **(extra_context(rows) if extra_context else {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, f"{_TEMPLATES}{template}", context)

    @staticmethod
    def _apply_all(
        rows: list[VersionLifecycle], data: dict[str, Any], apply: Apply, user: Any
    ) -> tuple[list[VersionLifecycle], list[str]]:
        """Apply to every row; with any refusal, undo all and return every refusal's reason."""
        done: list[VersionLifecycle] = []
        problems: list[str] = []
        try:
            with transaction.atomic():
                for row in rows:
                    try:
                        with transaction.atomic():
                            done.append(apply(row, data, user))
                    except lifecycle.TransitionRefused as exc:
                        problems.append(str(exc))
                if problems:
                    raise _Undo
        except _Undo:
            return [], problems
        return done, []


class _Undo(Exception):
    """Rolls the whole action back when any version was refused."""


@admin.register(EndpointDeprecation)
class EndpointDeprecationAdmin(admin.ModelAdmin):
    """Deprecated operations (route and method) from a version on."""

    form = EndpointDeprecationForm
    list_display = [
        "route",
        "method_display",
        "from_version",
        "deprecated_at",
        "sunset_at",
        "replacement",
    ]
    list_filter = ["method", "from_version", "route"]
    search_fields = ["route", "replacement", "note"]
    list_select_related = ["from_version"]
    date_hierarchy = "deprecated_at"

    @admin.display(description=_("method"), ordering="method")
    def method_display(self, obj: EndpointDeprecation) -> str:
        """The method, or "all" when the whole route is deprecated."""
        return obj.method or str(_("all"))

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
from versioning_app.admin.forms import (
    URL_SCHEME,
    ConfirmForm,
    DeprecateForm,
    EndpointDeprecationForm,
    StabilizeForm,
)
from versioning_app.conf import app_settings
from versioning_app.models import EndpointDeprecation, Status, VersionLifecycle
from versioning_app.usage.stats import DEFAULT_DAYS, retire_usage_contexts, usage_annotations

if TYPE_CHECKING:
    # Typing-only helpers from django-stubs-ext (not a runtime dependency).
    from django_stubs_ext import StrOrPromise, WithAnnotations

    from versioning_app.usage.stats import UsageAnnotations

    #: A changelist row: a version with the figures of ``get_queryset()``.
    UsageRow = WithAnnotations[VersionLifecycle, UsageAnnotations]

_BADGE_COLOURS: dict[str, str] = {
    Status.PREVIEW: "#6f42c1",
    Status.STABLE: "#1e7e34",
    Status.DEPRECATED: "#b36b00",
    Status.RETIRED: "#6c757d",
}
_TEMPLATES = "admin/versioning_app/versionlifecycle/"
# Sorting by last call puts never-called versions with the oldest on every database (PostgreSQL
# sorts NULL last, SQLite first).
_LAST_SEEN_ORDER = Coalesce(
    "usage_last_seen",
    Value(datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)),
    output_field=DateTimeField(),
)

Apply = Callable[[VersionLifecycle, dict[str, Any]], tuple[VersionLifecycle, str]]


@admin.register(VersionLifecycle)
class VersionLifecycleAdmin(admin.ModelAdmin):
    """API versions: where each one is in its life. The version itself is read-only."""

    list_display = [
        "version",
        "major",
        "status_badge",
        "released_at",
        "deprecated_at",
        "sunset_at",
        "successor",
        "usage_requests",
        "usage_clients",
        "usage_last_seen",
    ]
    list_filter = ["status", "major"]
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

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj: VersionLifecycle) -> str:
        """The status as a coloured badge."""
        return format_html(
            '<span class="versioning-badge versioning-badge-{}" style="background:{};color:#fff;'
            'border-radius:.75em;padding:.1em .7em;font-weight:600;white-space:nowrap">{}</span>',
            obj.status,
            _BADGE_COLOURS.get(obj.status, "#444"),
            obj.get_status_display(),
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet[VersionLifecycle]:
        """The rows with their usage figures, computed in the same query (no query per row)."""
        # ``ModelAdmin`` is not generic at run time, so the stubs see ``super()``'s rows as Any.
        rows: QuerySet[VersionLifecycle] = super().get_queryset(request)
        return rows.annotate(**usage_annotations(DEFAULT_DAYS))

    @admin.display(
        description=format_lazy(_("requests ({days} days)"), days=DEFAULT_DAYS),
        ordering="usage_requests",
    )
    def usage_requests(self, obj: UsageRow) -> int:
        """Requests in the last 30 days (as of the last usage flush)."""
        return obj.usage_requests

    @admin.display(
        description=format_lazy(_("clients ({days} days)"), days=DEFAULT_DAYS),
        ordering="usage_clients",
    )
    def usage_clients(self, obj: UsageRow) -> int:
        """Distinct clients in the last 30 days."""
        return obj.usage_clients

    @admin.display(description=_("last seen"), ordering=_LAST_SEEN_ORDER)
    def usage_last_seen(self, obj: UsageRow) -> datetime.datetime | None:
        """The last call ever recorded, or empty."""
        return obj.usage_last_seen

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

        def apply(row: VersionLifecycle, data: dict[str, Any]) -> tuple[VersionLifecycle, str]:
            row = lifecycle.deprecate(
                row,
                deprecated_at=data["deprecated_at"],
                sunset_at=data.get("sunset_at"),
                successor=data.get("successor"),
                documentation_url=data.get("documentation_url") or None,
            )
            parts = [gettext("Deprecated from %(date)s UTC") % {"date": _minute(row.deprecated_at)}]
            if row.sunset_at:
                parts.append(gettext("sunset %(date)s UTC") % {"date": _minute(row.sunset_at)})
            if row.successor:
                parts.append(gettext("successor %(version)s") % {"version": row.successor.version})
            return row, ", ".join(parts) + "."

        return self._intermediate(
            request, queryset, "deprecate", DeprecateForm, apply,
            title=_("Deprecate API versions"), submit=_("Deprecate"),
        )  # fmt: skip

    @admin.action(description=_("Retire selected versions…"), permissions=["change"])
    def retire(
        self, request: HttpRequest, queryset: QuerySet[VersionLifecycle]
    ) -> HttpResponse | None:
        """Retire after a confirmation page that shows who called each version lately."""

        def apply(row: VersionLifecycle, data: dict[str, Any]) -> tuple[VersionLifecycle, str]:
            return lifecycle.retire(row), gettext("Retired: the version answers 410 Gone.")

        def usage(rows: list[VersionLifecycle]) -> dict[str, Any]:
            return {"usage_reports": retire_usage_contexts([row.version for row in rows])}

        return self._intermediate(
            request, queryset, "retire", ConfirmForm, apply,
            title=_("Retire API versions"), submit=_("Yes, retire"), template="retire.html",
            extra_context=usage,
        )  # fmt: skip

    @admin.action(description=_("Mark selected versions stable…"), permissions=["change"])
    def stabilize(
        self, request: HttpRequest, queryset: QuerySet[VersionLifecycle]
    ) -> HttpResponse | None:
        """Mark preview versions stable, with their release date."""

        def apply(row: VersionLifecycle, data: dict[str, Any]) -> tuple[VersionLifecycle, str]:
            row = lifecycle.stabilize(row, released_at=data.get("released_at"))
            return row, gettext("Marked stable, released %(date)s UTC.") % {
                "date": _minute(row.released_at)
            }

        return self._intermediate(
            request, queryset, "stabilize", StabilizeForm, apply,
            title=_("Mark API versions stable"), submit=_("Mark stable"),
        )  # fmt: skip

    @admin.action(
        description=_("Cancel the deprecation of selected versions…"), permissions=["change"]
    )
    def cancel_deprecation(
        self, request: HttpRequest, queryset: QuerySet[VersionLifecycle]
    ) -> HttpResponse | None:
        """Make deprecated versions stable again, clearing their dates and successor."""

        def apply(row: VersionLifecycle, data: dict[str, Any]) -> tuple[VersionLifecycle, str]:
            return lifecycle.cancel_deprecation(row), gettext(
                "Deprecation cancelled: stable again."
            )

        return self._intermediate(
            request, queryset, "cancel_deprecation", ConfirmForm, apply,
            title=_("Cancel deprecations"), submit=_("Cancel the deprecation"),
        )  # fmt: skip

    def _intermediate(
        self,
        request: HttpRequest,
        queryset: QuerySet[VersionLifecycle],
        action: str,
        form_class: type[forms.Form],
        apply: Apply,
        *,
        title: StrOrPromise,
        submit: StrOrPromise,
        template: str = "action_form.html",
        extra_context: Callable[[list[VersionLifecycle]], dict[str, Any]] | None = None,
    ) -> HttpResponse | None:
        """Show the action's form; on submit apply it to every row, all or nothing."""
        rows = list(queryset.order_by("major", "minor"))
        form = form_class(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            try:
                with transaction.atomic():
                    done = [apply(row, form.cleaned_data) for row in rows]
                    for row, message in done:
                        self.log_change(request, row, message)
            except lifecycle.TransitionRefused as exc:
                self.message_user(
                    request,
                    gettext("%(reason)s Nothing was changed.") % {"reason": exc},
                    messages.ERROR,
                )
                return None
            names = ", ".join(row.version for row, _message in done)
            self.message_user(request, f"{title}: {names}. {done[-1][1]}", messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "subtitle": None,
            "opts": self.model._meta,
            "queryset": rows,
            "form": form,
            "action": action,
            "submit_label": submit,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
            **(extra_context(rows) if extra_context else {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, f"{_TEMPLATES}{template}", context)


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


def _minute(moment: datetime.datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if moment is not None else "-"

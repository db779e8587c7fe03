"""The sunset rehearsal in the admin: brownout windows, a calendar of the upcoming ones, the
policy fields' validation, and the "what happens on…" page.

Every change goes through the rules (``lifecycle.schedule``, ``lifecycle.rules``): a refused
window or policy shows why on the form, and nothing is saved.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from itertools import groupby
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from versioning_app.lifecycle import clock
from versioning_app.lifecycle.outlook import outlook
from versioning_app.lifecycle.rules import LockedRows, TransitionRefused, refuse_policies
from versioning_app.lifecycle.schedule import refuse_brownout
from versioning_app.models import Brownout, VersionLifecycle

_TEMPLATES = "admin/versioning_app/brownout/"


class BrownoutForm(forms.ModelForm):
    """A window, checked by the brownout rules before it is saved."""

    class Meta:
        model = Brownout
        fields = ["version", "starts_at", "ends_at", "route", "share", "clients", "note"]

    def clean(self) -> dict[str, Any]:
        """Refuse what the rules refuse, with their reason."""
        data = super().clean() or {}
        row, starts_at, ends_at = data.get("version"), data.get("starts_at"), data.get("ends_at")
        if row is None or starts_at is None or ends_at is None:
            return data  # the field errors say what is missing
        clients = [
            line.strip() for line in (data.get("clients") or "").splitlines() if line.strip()
        ]
        try:
            with transaction.atomic():
                refuse_brownout(
                    LockedRows(),
                    row,
                    starts_at,
                    ends_at,
                    data.get("route") or "",
                    clients,
                    data.get("share"),
                )
        except TransitionRefused as exc:
            raise ValidationError(f"{exc} Nothing was saved.") from exc
        data["clients"] = "\n".join(sorted(set(clients)))
        return data


class PolicyForm(forms.ModelForm):
    """The version's change form: its policies are checked by the rules before saving."""

    class Meta:
        model = VersionLifecycle
        # The admin adds the other editable fields (``VersionLifecycleAdmin.fields``).
        fields = ["read_only", "new_clients_until"]

    def clean(self) -> dict[str, Any]:
        """Refuse policies the rules refuse (read-only with nowhere to go, say)."""
        data = super().clean() or {}
        row = self.instance
        if row.pk is None or "read_only" not in data:
            return data
        try:
            with transaction.atomic():
                refuse_policies(
                    LockedRows(),
                    row,
                    bool(data.get("read_only")),
                    data.get("new_clients_until"),
                )
        except TransitionRefused as exc:
            raise ValidationError(f"{exc} Nothing was saved.") from exc
        return data


class WhenFilter(admin.SimpleListFilter):
    """Upcoming, under way or past, by the lifecycle clock."""

    title = _("when")
    parameter_name = "when"

    def lookups(self, request: HttpRequest, model_admin: Any) -> Sequence[tuple[str, Any]]:
        """The three periods."""
        return [("upcoming", _("upcoming")), ("active", _("under way")), ("past", _("past"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """The windows of the chosen period."""
        now = clock.now()
        if self.value() == "upcoming":
            return queryset.filter(starts_at__gt=now)
        if self.value() == "active":
            return queryset.filter(starts_at__lte=now, ends_at__gt=now)
        if self.value() == "past":
            return queryset.filter(ends_at__lte=now)
        return queryset


class PickMomentForm(forms.Form):
    """The date the "what happens on…" page looks at."""

    moment = forms.DateTimeField(
        label=_("On (UTC)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )


def _utc_day(window: Brownout) -> datetime.date:
    return window.starts_at.astimezone(datetime.UTC).date()


@admin.register(Brownout)
class BrownoutAdmin(admin.ModelAdmin):
    """Brownout windows: a list by start, a calendar of the upcoming ones."""

    form = BrownoutForm
    list_display = ["version", "starts_at", "ends_at", "scope", "targeting", "state", "note"]
    list_filter = [WhenFilter, "version"]
    list_select_related = ["version"]
    date_hierarchy = "starts_at"
    ordering = ["starts_at"]
    search_fields = ["version__version", "route", "note"]

    @admin.display(description=_("endpoint"), ordering="route")
    def scope(self, obj: Brownout) -> str:
        """The one endpoint, or every endpoint of the version."""
        return obj.route or str(_("all endpoints"))

    @admin.display(description=_("clients"))
    def targeting(self, obj: Brownout) -> str:
        """Every client, some listed ones, or a share."""
        if obj.share is not None:
            return f"{obj.share} %"
        keys = obj.client_keys
        return str(_("%(count)d listed") % {"count": len(keys)}) if keys else str(_("all"))

    @admin.display(description=_("state"))
    def state(self, obj: Brownout) -> str:
        """Upcoming, under way or past, by the lifecycle clock."""
        now = clock.now()
        if obj.starts_at > now:
            return str(_("upcoming"))
        return str(_("under way")) if obj.ends_at > now else str(_("past"))

    def get_urls(self) -> list[URLPattern]:
        """The calendar and the "what happens on…" page, before the default URLs."""
        info = f"{self.model._meta.app_label}_{self.model._meta.model_name}"
        return [
            path(
                "calendar/",
                self.admin_site.admin_view(self.calendar_view),
                name=f"{info}_calendar",
            ),
            path(
                "what-happens/",
                self.admin_site.admin_view(self.what_happens_view),
                name=f"{info}_what_happens",
            ),
            *super().get_urls(),
        ]

    def _context(self, request: HttpRequest, title: Any) -> dict[str, Any]:
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "has_view_permission": self.has_view_permission(request),
        }

    def calendar_view(self, request: HttpRequest) -> HttpResponse:
        """Upcoming and current windows, one heading per day (UTC)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        now = clock.now()
        windows = list(
            Brownout.objects.select_related("version")
            .filter(ends_at__gt=now)
            .order_by("starts_at", "pk")
        )
        days = [
            (day, list(items))
            for day, items in groupby(
                windows, key=lambda w: w.starts_at.astimezone(datetime.UTC).date()
            )
        ]
        context = {**self._context(request, _("Upcoming brownouts")), "days": days, "now": now}
        request.current_app = self.admin_site.name
        return TemplateResponse(request, f"{_TEMPLATES}calendar.html", context)

    def what_happens_view(self, request: HttpRequest) -> HttpResponse:
        """For a chosen date, each version's status, headers and what a request gets."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = PickMomentForm(request.GET or None)
        moment = clock.now()
        if form.is_valid():
            moment = form.cleaned_data["moment"]
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=datetime.UTC)
            moment = moment.astimezone(datetime.UTC)
        else:
            form = PickMomentForm(initial={"moment": moment.astimezone(datetime.UTC)})
        context = {
            **self._context(request, _("What happens on…")),
            "form": form,
            "moment": moment,
            "rows": outlook(moment),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, f"{_TEMPLATES}what_happens.html", context)

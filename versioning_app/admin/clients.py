"""Clients in the admin: the list (label, pins, last seen), the client page with its pins'
history, and upgrade / rollback buttons that go through ``clients.pins`` and the admin history."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, PositiveBigIntegerField, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from versioning_app.clients import pins, report
from versioning_app.clients.models import Client, Pin, PinChange
from versioning_app.conf import app_settings
from versioning_app.usage.stats import DEFAULT_DAYS, records, usage_table, version_key


class PinInline(admin.TabularInline):
    """The client's pins, read only: they change through upgrade and rollback."""

    model = Pin
    extra = 0
    can_delete = False
    fields = ("major", "version", "previous", "changed_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Pins are made by the first request or an upgrade."""
        return False


class PinChangeInline(admin.TabularInline):
    """The pins' history."""

    model = PinChange
    extra = 0
    can_delete = False
    fields = ("at", "major", "kind", "from_version", "to_version", "by")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """History is written by the changes themselves."""
        return False


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    """The API's clients; upgrade and rollback from the client page."""

    list_display = (
        "__str__",
        "pinned_versions",
        "versions_used",
        "usage_requests",
        "last_seen",
        "email",
    )
    search_fields = ("label", "email", "key")
    readonly_fields = ("key", "first_seen", "last_seen")
    fields = ("key", "label", "email", "first_seen", "last_seen")
    inlines = (PinInline, PinChangeInline)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Client]:
        """With the pins and the requests of the period, for the list's columns."""
        in_period = (
            records(DEFAULT_DAYS)
            .filter(client=OuterRef("key"))
            .order_by()
            .values("client")
            .annotate(n=Sum("count"))
            .values("n")[:1]
        )
        queryset: QuerySet[Client] = (
            super()
            .get_queryset(request)
            .prefetch_related("pins")
            .annotate(
                usage_requests=Coalesce(
                    Subquery(in_period), Value(0), output_field=PositiveBigIntegerField()
                )
            )
        )
        return queryset

    def get_changelist_instance(self, request: HttpRequest) -> Any:
        """The page's clients with the versions each called in the period (one query)."""
        changelist = super().get_changelist_instance(request)
        page = list(changelist.result_list)
        used: dict[str, set[str]] = {}
        rows = records(DEFAULT_DAYS).filter(client__in=[client.key for client in page])
        for key, version in rows.values_list("client", "version").distinct():
            used.setdefault(key, set()).add(version)
        for client in page:
            client.used = ", ".join(sorted(used.get(client.key, ()), key=version_key))
        return changelist

    @admin.display(description=gettext_lazy("versions used (30 days)"))
    def versions_used(self, obj: Client) -> str:
        """The versions the client called in the period."""
        return getattr(obj, "used", "") or "-"

    @admin.display(description=gettext_lazy("requests (30 days)"), ordering="usage_requests")
    def usage_requests(self, obj: Client) -> int:
        """The client's requests in the period."""
        return int(getattr(obj, "usage_requests", 0))

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Clients are created by their first request (through the usage flush)."""
        return False

    @admin.display(description=gettext_lazy("pins"))
    def pinned_versions(self, obj: Client) -> str:
        """The client's pinned versions."""
        return ", ".join(pin.version for pin in obj.pins.all()) or "-"

    def get_urls(self) -> list[URLPattern]:
        """The upgrade and rollback endpoints (POST only)."""
        own = [
            path(
                "<int:pk>/upgrade/",
                self.admin_site.admin_view(self.upgrade_view),
                name="versioning_app_client_upgrade",
            ),
            path(
                "<int:pk>/rollback/",
                self.admin_site.admin_view(self.rollback_view),
                name="versioning_app_client_rollback",
            ),
        ]
        return own + super().get_urls()

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """The client page, with the versions an upgrade may go to."""
        context = {
            **(extra_context or {}),
            "upgrade_versions": [str(version) for version in app_settings.versions],
            "rollback_hours": app_settings.CLIENTS_ROLLBACK_HOURS,
        }
        client = Client.objects.filter(pk=object_id).first() if object_id.isdigit() else None
        if client is not None:
            context["client_usage"] = usage_table(records(DEFAULT_DAYS, client=client.key))
            context["usage_days"] = DEFAULT_DAYS
            target = str(request.GET.get("report_to", ""))
            if target:
                try:
                    built = report.build_report(client, pins.parse_version(target))
                    context["upgrade_report"] = built
                except (pins.PinRefused, report.ReportRefused) as exc:
                    context["upgrade_report_error"] = str(exc)
        return super().change_view(request, object_id, form_url, context)

    def _guard(self, request: HttpRequest, pk: int) -> Client:
        if request.method != "POST" or not self.has_change_permission(request):
            raise PermissionDenied
        return get_object_or_404(Client, pk=pk)

    def _back(self, client: Client) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:versioning_app_client_change", args=[client.pk]))

    def upgrade_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Upgrade the client's pin; a refusal is shown and nothing is saved."""
        client = self._guard(request, pk)
        try:
            version = pins.parse_version(str(request.POST.get("version", "")))
            pin = pins.upgrade(client, version, by=request.user.get_username())
        except pins.PinRefused as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return self._back(client)
        message = _("Pinned to %(version)s.") % {"version": pin.version}
        self.log_change(request, client, message)
        self.message_user(request, message, messages.SUCCESS)
        return self._back(client)

    def rollback_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Roll back the client's last upgrade in a major."""
        client = self._guard(request, pk)
        major = str(request.POST.get("major", ""))
        try:
            if not major.isdigit():
                raise pins.PinRefused(_("Choose a major version."))
            pin = pins.rollback(client, int(major), by=request.user.get_username())
        except pins.PinRefused as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return self._back(client)
        message = _("Rolled back to %(version)s.") % {"version": pin.version}
        self.log_change(request, client, message)
        self.message_user(request, message, messages.SUCCESS)
        return self._back(client)

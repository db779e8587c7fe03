"""The upgrade report: what moving a client to a version would change for the calls it makes.

For a client and a target version: the declared changes between the client's version (its pin
in the target's major, else the version it called most in the period) and the target that touch
the endpoints it called in the last ``CLIENTS_REPORT_DAYS`` days: an endpoint change on a
route (and method) it called, a serializer change (a field, its type or choices, a data
migration) on a serializer those endpoints use, or any other change bound to one of its
routes (e.g. a query parameter), each with its description.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import Sum
from django.urls import URLPattern, get_resolver
from django.utils.translation import gettext as _
from rest_framework.serializers import BaseSerializer, ListSerializer

from versioning_app.changes import Change, EndpointChange, SerializerChange
from versioning_app.clients.models import Client, Pin
from versioning_app.conf import app_settings
from versioning_app.models import UsageRecord
from versioning_app.routing import walk_patterns
from versioning_app.versions import VersionNumber, major_from_namespace


class ReportRefused(ValueError):
    """No report can be made (the message says why)."""


@dataclass(frozen=True)
class Call:
    """An endpoint the client called in the period."""

    route: str
    method: str
    requests: int


@dataclass(frozen=True)
class Item:
    """One declared change that touches the client's calls."""

    version: str
    kind: str
    description: str
    routes: list[str]
    field: str | None = None


@dataclass(frozen=True)
class UpgradeReport:
    """What moving ``client`` from ``from_version`` to ``to_version`` changes for its calls."""

    client: str
    from_version: str
    to_version: str
    days: int
    since: str
    calls: list[Call] = field(default_factory=list)
    changes: list[Item] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        return asdict(self)


def _serializers_of(serializer: type) -> set[type]:
    """The serializer class and the nested serializers it declares (one level of nesting)."""
    found = {serializer}
    for declared in getattr(serializer, "_declared_fields", {}).values():
        inner = declared.child if isinstance(declared, ListSerializer) else declared
        if isinstance(inner, BaseSerializer):
            found.add(type(inner))
    return found


def route_serializers() -> dict[str, set[type]]:
    """Each versioned route name with the serializers its view declares."""
    routes: dict[str, set[type]] = {}
    for namespaces, entry in walk_patterns(get_resolver().url_patterns):
        if not isinstance(entry, URLPattern) or not entry.name:
            continue
        if not any(major_from_namespace(name) is not None for name in namespaces):
            continue
        view = getattr(entry.callback, "cls", None)
        serializer = getattr(view, "serializer_class", None)
        if isinstance(serializer, type):
            routes.setdefault(entry.name, set()).update(_serializers_of(serializer))
    return routes


def _touches(change: Change, calls: list[Call], serializers: dict[str, set[type]]) -> list[str]:
    if isinstance(change, EndpointChange):
        return sorted({c.route for c in calls if change.applies_to(c.route, c.method)})
    if isinstance(change, SerializerChange):
        return sorted(
            {
                c.route
                for c in calls
                if any(change.applies_to(cls) for cls in serializers.get(c.route, ()))
            }
        )
    route = getattr(change, "route", None)  # a change bound to a route (query parameters)
    return sorted({c.route for c in calls if c.route == route})


def client_version(client: Client, major: int, days: int) -> VersionNumber | None:
    """The client's version for a report: its pin in ``major``, else the one it called most."""
    pin = Pin.objects.filter(client=client, major=major).values_list("version", flat=True).first()
    if pin:
        return VersionNumber.parse(pin)
    since = _since(days)
    most = (
        UsageRecord.objects.filter(client=client.key, day__gte=since)
        .values("version")
        .annotate(n=Sum("count"))
        .order_by("-n", "-version")
        .values_list("version", flat=True)
        .first()
    )
    return VersionNumber.parse(most) if most else None


def _since(days: int) -> datetime.date:
    return datetime.datetime.now(datetime.UTC).date() - datetime.timedelta(days=days - 1)


def build_report(client: Client, target: VersionNumber, days: int | None = None) -> UpgradeReport:
    """The upgrade report of ``client`` to ``target``; raises ``ReportRefused``."""
    days = days or app_settings.CLIENTS_REPORT_DAYS
    bundle = app_settings.versions
    if target not in bundle:
        raise ReportRefused(_("%(v)s is not a declared version.") % {"v": target})
    current = client_version(client, target.major, days)
    if current is None:
        raise ReportRefused(
            _("%(client)s has no pin and no calls in the period: nothing to compare.")
            % {"client": client}
        )
    if target <= current:
        raise ReportRefused(
            _("%(client)s is on %(current)s: the report is for a newer version.")
            % {"client": client, "current": current}
        )
    since = _since(days)
    calls = [
        Call(row["route"], row["method"], row["n"])
        for row in UsageRecord.objects.filter(client=client.key, day__gte=since)
        .values("route", "method")
        .annotate(n=Sum("count"))
        .order_by("route", "method")
    ]
    serializers = route_serializers()
    items = []
    for version in bundle:
        if not current < version.number <= target:
            continue
        for change in version.changes:
            routes = _touches(change, calls, serializers)
            if routes:
                items.append(
                    Item(
                        str(version.number),
                        type(change).__name__,
                        change.describe(),
                        routes,
                        getattr(change, "name", None),
                    )
                )
    return UpgradeReport(
        str(client), str(current), str(target), days, since.isoformat(), calls, items
    )


def to_json(report: UpgradeReport) -> str:
    """The report as JSON text."""
    return json.dumps(report.as_dict(), indent=2)


def to_markdown(report: UpgradeReport) -> str:
    """The report as Markdown."""
    lines = [
        f"# Upgrade report: {report.client}, {report.from_version} → {report.to_version}",
        "",
        f"_Calls since {report.since} ({report.days} days)._",
        "",
        "## Changes that touch your calls",
        "",
    ]
    if report.changes:
        for item in report.changes:
            where = ", ".join(f"`{route}`" for route in item.routes)
            lines.append(f"- **{item.version}** {item.description} ({where})")
    else:
        lines.append("- None: the calls made in the period keep working unchanged.")
    lines.extend(["", "## Calls in the period", ""])
    lines.extend(f"- {c.method} `{c.route}`: {c.requests}" for c in report.calls)
    return "\n".join(lines) + "\n"

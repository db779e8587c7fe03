"""E-mail the clients still calling a deprecated version: its sunset, its successor, their report.

Through Django's e-mail backend (``send_mail``). A client is written to once per version: a
``Notification`` row records it, and only ``force`` writes again.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext as _

from versioning_app.clients import report
from versioning_app.clients.models import Client, Notification
from versioning_app.conf import app_settings
from versioning_app.lifecycle.snapshot import DEPRECATED, get_snapshot
from versioning_app.usage.buffer import ANONYMOUS
from versioning_app.usage.stats import records
from versioning_app.versions import VersionNumber


class NotifyRefused(ValueError):
    """Nobody can be notified about this version (the message says why)."""


@dataclass(frozen=True)
class Outcome:
    """What happened for one client."""

    client: Client
    sent: bool
    reason: str


def message_for(client: Client, version: VersionNumber) -> tuple[str, str]:
    """The subject and body of the e-mail to ``client`` about ``version``."""
    state = get_snapshot().version(version)
    subject = _("API version %(v)s is deprecated") % {"v": version}
    lines = [_("Hello %(client)s,") % {"client": client}, ""]
    lines.append(
        _("You still call version %(v)s of the API, which is deprecated.") % {"v": version}
    )
    if state.sunset_at is not None:
        lines.append(
            _("It stops answering (410 Gone) on %(date)s.")
            % {"date": f"{state.sunset_at:%Y-%m-%d %H:%M} UTC"}
        )
    if state.successor is not None:
        lines.append(_("Please move to version %(v)s.") % {"v": state.successor})
        try:
            built = report.build_report(client, state.successor)
        except report.ReportRefused as exc:
            lines.extend(["", str(exc)])
        else:
            lines.extend(["", report.to_markdown(built)])
    if state.documentation_url:
        lines.extend(["", state.documentation_url])
    return subject, "\n".join(lines) + "\n"


def notify(version: VersionNumber, *, dry_run: bool = False, force: bool = False) -> list[Outcome]:
    """Write to every client with a contact that called ``version`` in the report period."""
    if get_snapshot().version(version).status != DEPRECATED:
        raise NotifyRefused(_("Version %(v)s is not deprecated: nobody is told.") % {"v": version})
    keys = set(
        records(app_settings.CLIENTS_REPORT_DAYS, version=str(version))
        .exclude(client=ANONYMOUS)
        .values_list("client", flat=True)
    )
    told = set(
        Notification.objects.filter(version=str(version)).values_list("client__key", flat=True)
    )
    outcomes = []
    for client in Client.objects.filter(key__in=keys).order_by("label", "key"):
        if not client.email:
            outcomes.append(Outcome(client, False, _("no contact e-mail")))
            continue
        if client.key in told and not force:
            outcomes.append(Outcome(client, False, _("already told")))
            continue
        if dry_run:
            outcomes.append(Outcome(client, False, _("would be told (dry run)")))
            continue
        subject, body = message_for(client, version)
        send_mail(subject, body, None, [client.email])
        Notification.objects.update_or_create(
            client=client, version=str(version), defaults={"sent_at": timezone.now()}
        )
        outcomes.append(Outcome(client, True, _("told")))
    return outcomes

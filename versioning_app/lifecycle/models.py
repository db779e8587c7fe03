"""The lifecycle wing's own rows: scheduled brownouts (imported by ``versioning_app.models``).

Create and change them through ``versioning_app.lifecycle`` (``schedule_brownout``), the admin
or ``manage.py api_lifecycle brownout``, which apply the rules in ``rules_rehearsal``. The
runtime reads them through the lifecycle snapshot, never per request.
"""

from __future__ import annotations

import inspect

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


def _check_constraint(condition: models.Q, name: str) -> models.CheckConstraint:
    # Django 5.1 renamed ``check=`` to ``condition=`` (6.0 removed ``check=``). The same
    # helper as ``versioning_app.models``' own, which imports this module (no cycle).
    if "condition" in inspect.signature(models.CheckConstraint).parameters:
        return models.CheckConstraint(condition=condition, name=name)
    return models.CheckConstraint(check=condition, name=name)  # type: ignore[call-arg]  # pragma: no cover


#: The most client keys one window may list (the snapshot holds them in every process).
MAX_LISTED_CLIENTS = 1000


class Brownout(models.Model):
    """A window in which a version (or one endpoint of it) answers 410, as a rehearsal."""

    version = models.ForeignKey(
        "versioning_app.VersionLifecycle",
        on_delete=models.CASCADE,
        related_name="brownouts",
        verbose_name=_("version"),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(
        _("ends at"), help_text=_("Requests get Retry-After: the seconds left until then.")
    )
    route = models.CharField(
        _("endpoint"),
        max_length=200,
        blank=True,
        help_text=_("A route name (e.g. 'book-list') for one endpoint; empty for all of them."),
    )
    clients = models.TextField(
        _("clients"),
        blank=True,
        help_text=_(
            "Only these clients: one client key per line, as usage shows them. "
            "Empty: every client (or the share below)."
        ),
    )
    share = models.PositiveSmallIntegerField(
        _("share of clients (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Only this percentage of clients, always the same ones. Anonymous requests are "
            "never in a window that targets clients."
        ),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("brownout")
        verbose_name_plural = _("brownouts")
        constraints = [
            _check_constraint(
                models.Q(ends_at__gt=models.F("starts_at")),
                name="versioning_app_brownout_ends_after_start",
            ),
            _check_constraint(
                models.Q(share__isnull=True) | models.Q(share__gte=1, share__lte=100),
                name="versioning_app_brownout_share_percent",
            ),
        ]
        indexes = [models.Index(fields=["ends_at"], name="versioning_app_brownout_end")]

    def __str__(self) -> str:
        where = self.route or _("all endpoints")
        start, end = f"{self.starts_at:%Y-%m-%d %H:%M}", f"{self.ends_at:%Y-%m-%d %H:%M}"
        return f"{self.version.version} {where}: {start} to {end} UTC"

    @property
    def client_keys(self) -> frozenset[str]:
        """The listed client keys (blank lines and surrounding spaces ignored)."""
        return frozenset(line.strip() for line in self.clients.splitlines() if line.strip())


__all__ = ["Brownout"]

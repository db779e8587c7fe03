"""Usage rows: daily request counts per version, endpoint and client, and the flushed slots."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class UsageRecord(models.Model):
    """How often one client called one endpoint of one version on one day (UTC)."""

    version = models.CharField(_("version"), max_length=16)
    route = models.CharField(_("endpoint"), max_length=200, help_text=_("The URL name."))
    method = models.CharField(_("method"), max_length=7)
    client = models.CharField(
        _("client"),
        max_length=64,
        help_text=_("A keyed hash of the user or token, never the raw value; or 'anonymous'."),
    )
    day = models.DateField(_("day"), help_text=_("UTC."))
    count = models.PositiveBigIntegerField(_("requests"), default=0)
    last_seen = models.DateTimeField(
        _("last seen"), help_text=_("Start of the last buffer slot with a request.")
    )

    class Meta:
        verbose_name = _("usage record")
        verbose_name_plural = _("usage records")
        ordering = ["-day", "version", "route", "method", "client"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "version", "route", "method", "client"],
                name="versioning_app_usage_unique_key",
            )
        ]
        indexes = [
            models.Index(fields=["version", "day"], name="versioning_app_usage_ver_day"),
            models.Index(fields=["client", "day"], name="versioning_app_usage_cli_day"),
            # "Last seen" per version (admin list, api_versions) is a MAX over this pair.
            models.Index(fields=["version", "last_seen"], name="versioning_app_usage_ver_seen"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.version} {self.method} {self.route} {self.client}: {self.count}"


class UsageFlush(models.Model):
    """One buffer slot written to the database; its unique batch id makes a flush exactly-once."""

    batch = models.CharField(_("batch"), max_length=32, unique=True)
    slot_start = models.DateTimeField(_("slot start"))
    slot_seconds = models.PositiveIntegerField(_("slot seconds"))
    requests = models.PositiveBigIntegerField(_("requests"))
    flushed_at = models.DateTimeField(_("flushed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("usage flush")
        verbose_name_plural = _("usage flushes")
        ordering = ["-slot_start"]

    def __str__(self) -> str:
        return f"{self.slot_start:%Y-%m-%d %H:%M:%S} ({self.requests})"

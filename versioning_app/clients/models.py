"""The clients wing's rows: who calls the API, and which version each one is pinned to.

A client is named by the usage resolver (its key is what usage rows store in ``client``); its
row is created by the usage flush, never on the request path. A pin holds a client to one minor
of a major; an upgrade keeps the version before it for a rollback within the window.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Client(models.Model):
    """One client the resolver named, as usage rows name it (``UsageRecord.client == key``)."""

    key = models.CharField(
        _("key"),
        max_length=64,
        unique=True,
        help_text=_("The client as the usage rows store it (a keyed hash by default)."),
    )
    label = models.CharField(
        _("label"),
        max_length=150,
        blank=True,
        help_text=_("A name people recognise (by default the username); empty when not stored."),
    )
    email = models.EmailField(_("contact e-mail"), blank=True)
    first_seen = models.DateTimeField(_("first seen"))
    last_seen = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["label", "key"]

    def __str__(self) -> str:
        return self.label or self.key


class Pin(models.Model):
    """The minor a client is served in one major when it sends no version header."""

    client = models.ForeignKey(
        "versioning_app.Client",
        on_delete=models.CASCADE,
        related_name="pins",
        verbose_name=_("client"),
    )
    major = models.PositiveIntegerField(_("major"))
    version = models.CharField(_("version"), max_length=16)
    #: The version before the last upgrade, until it is rolled back or the window ends.
    previous = models.CharField(_("previous version"), max_length=16, blank=True)
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("pin")
        verbose_name_plural = _("pins")
        ordering = ["client", "major"]
        constraints = [
            models.UniqueConstraint(fields=["client", "major"], name="versioning_app_pin_unique")
        ]

    def __str__(self) -> str:
        return f"{self.client} → {self.version}"


class PinChange(models.Model):
    """One change of a pin (created, upgraded, rolled back): the pins' own history."""

    class Kind(models.TextChoices):
        """What happened to the pin."""

        CREATED = "created", _("created")
        UPGRADED = "upgraded", _("upgraded")
        ROLLED_BACK = "rolled_back", _("rolled back")

    client = models.ForeignKey(
        "versioning_app.Client",
        on_delete=models.CASCADE,
        related_name="pin_changes",
        verbose_name=_("client"),
    )
    major = models.PositiveIntegerField(_("major"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    from_version = models.CharField(_("from version"), max_length=16, blank=True)
    to_version = models.CharField(_("to version"), max_length=16)
    at = models.DateTimeField(_("at"))
    #: Who made the change (a username, or the command), kept as text: no tie to a user model.
    by = models.CharField(_("by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("pin change")
        verbose_name_plural = _("pin changes")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.client} {self.kind} {self.from_version} → {self.to_version}"


class Notification(models.Model):
    """One e-mail sent to a client about a deprecated version (never twice unless forced)."""

    client = models.ForeignKey(
        "versioning_app.Client",
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("client"),
    )
    version = models.CharField(_("version"), max_length=16)
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("client notification")
        verbose_name_plural = _("client notifications")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "version"], name="versioning_app_notification_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.client} {self.version} {self.sent_at:%Y-%m-%d}"


__all__ = ["Client", "Notification", "Pin", "PinChange"]

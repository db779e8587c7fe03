"""Where each declared version is in its life, which endpoints are deprecated, and usage rows.

Code owns which versions exist (the ``VersionBundle``); these rows own where each one is in its
life. Change them through ``versioning_app.lifecycle`` (the admin and the commands do), which
enforces the transition rules.
"""

from __future__ import annotations

import inspect

from django.db import models
from django.utils.translation import gettext_lazy as _

from versioning_app.versions import VersionNumber


def _check_constraint(condition: models.Q, name: str) -> models.CheckConstraint:
    # Django 5.1 renamed ``check=`` to ``condition=``; 6.0 removed ``check=``.
    if "condition" in inspect.signature(models.CheckConstraint).parameters:
        return models.CheckConstraint(condition=condition, name=name)
    # The stubs know only ``condition=``.
    return models.CheckConstraint(check=condition, name=name)  # type: ignore[call-arg]  # pragma: no cover


class Status(models.TextChoices):
    """The stages of a version's life, in order."""

    PREVIEW = "preview", _("preview")
    STABLE = "stable", _("stable")
    DEPRECATED = "deprecated", _("deprecated")
    RETIRED = "retired", _("retired")


class VersionLifecycle(models.Model):
    """The lifecycle of one declared version (one row per version, created automatically)."""

    version = models.CharField(
        _("version"),
        max_length=16,
        unique=True,
        editable=False,
        help_text=_("Declared in code; read-only here."),
    )
    major = models.PositiveIntegerField(_("major"), editable=False)
    minor = models.PositiveIntegerField(_("minor"), editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.STABLE
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    deprecated_at = models.DateTimeField(_("deprecated at"), null=True, blank=True)
    sunset_at = models.DateTimeField(
        _("sunset at"),
        null=True,
        blank=True,
        help_text=_("From this moment on the version answers 410 Gone."),
    )
    successor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("successor"),
        help_text=_("The newer version clients should move to."),
    )
    documentation_url = models.URLField(
        _("documentation URL"),
        blank=True,
        help_text=_('Documentation or migration guide, sent as Link rel="deprecation".'),
    )
    notes = models.TextField(_("notes"), blank=True)
    # Policies (issue 16), set through ``versioning_app.lifecycle.set_policies``.
    read_only = models.BooleanField(
        _("read-only"),
        default=False,
        help_text=_("Writes (POST, PUT, PATCH, DELETE) answer 410 Gone; reads work."),
    )
    new_clients_until = models.DateTimeField(
        _("no new clients after"),
        null=True,
        blank=True,
        help_text=_("A client first seen after this moment gets 400 pointing to the successor."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["major", "minor"]
        verbose_name = _("API version")
        verbose_name_plural = _("API versions")
        constraints = [
            models.UniqueConstraint(fields=["major", "minor"], name="versioning_app_unique_number"),
            _check_constraint(
                models.Q(sunset_at__isnull=True)
                | models.Q(deprecated_at__isnull=True)
                | models.Q(sunset_at__gte=models.F("deprecated_at")),
                name="versioning_app_sunset_after_deprecation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version} ({self.get_status_display()})"

    def save(self, *args: object, **kwargs: object) -> None:
        """Keep ``major`` / ``minor`` derived from the version string."""
        number = VersionNumber.parse(self.version)
        self.major, self.minor = number.major, number.minor
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def number(self) -> VersionNumber:
        """The version as a ``VersionNumber``."""
        return VersionNumber(self.major, self.minor)


class Method(models.TextChoices):
    """HTTP methods an endpoint deprecation may be limited to."""

    GET = "GET", "GET"
    POST = "POST", "POST"
    PUT = "PUT", "PUT"
    PATCH = "PATCH", "PATCH"
    DELETE = "DELETE", "DELETE"


class EndpointDeprecation(models.Model):
    """One operation (route name, optionally one method) deprecated from a version on."""

    route = models.CharField(
        _("route name"),
        max_length=200,
        help_text=_("The URL name of the endpoint, e.g. 'book-similar'."),
    )
    method = models.CharField(
        _("method"),
        max_length=7,
        choices=Method.choices,
        blank=True,
        help_text=_("Leave empty to deprecate every method of the route."),
    )
    from_version = models.ForeignKey(
        VersionLifecycle,
        on_delete=models.CASCADE,
        related_name="endpoint_deprecations",
        verbose_name=_("from version"),
        help_text=_("Deprecated in this version and every later one."),
    )
    deprecated_at = models.DateTimeField(_("deprecated at"))
    sunset_at = models.DateTimeField(
        _("sunset at"),
        null=True,
        blank=True,
        help_text=_("From this moment on the endpoint answers 410 Gone."),
    )
    replacement = models.CharField(
        _("replacement"),
        max_length=200,
        blank=True,
        help_text=_("What to use instead, e.g. 'GET /api/v2/authors/{id}/books/'."),
    )
    documentation_url = models.URLField(_("documentation URL"), blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["route", "method", "from_version__major", "from_version__minor"]
        verbose_name = _("endpoint deprecation")
        verbose_name_plural = _("endpoint deprecations")
        constraints = [
            models.UniqueConstraint(
                fields=["route", "method", "from_version"],
                name="versioning_app_unique_endpoint_deprecation",
            ),
        ]

    def __str__(self) -> str:
        method = self.method or _("all methods")
        return f"{self.route} ({method}) from {self.from_version.version}"


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


class UsageSummary(UsageRecord):
    """The usage rows summed per version, endpoint or client: the admin index's link to them."""

    class Meta:
        proxy = True
        verbose_name = _("usage summary")
        verbose_name_plural = _("usage summary")


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


__all__ = [
    "Brownout",
    "Client",
    "EndpointDeprecation",
    "Notification",
    "Pin",
    "PinChange",
    "UsageFlush",
    "UsageRecord",
    "UsageSummary",
    "VersionLifecycle",
]

from versioning_app.clients.models import Client, Notification, Pin, PinChange  # noqa: E402
from versioning_app.lifecycle.models import Brownout  # noqa: E402  (the wing's rows)

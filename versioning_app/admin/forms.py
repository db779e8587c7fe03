"""Forms of the lifecycle admin: the actions' intermediate forms, the endpoint deprecation form."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import django
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from versioning_app.lifecycle.rules import validate_documentation_url
from versioning_app.models import EndpointDeprecation, Status, VersionLifecycle
from versioning_app.routing import mounted_versions

if TYPE_CHECKING:
    # Labels are lazy translations; django-stubs-ext names "str or lazy str" (typing only).
    from django_stubs_ext import StrOrPromise

_DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
# Django 5.0 added ``assume_scheme`` (and warns until 6.0 when it is not given).
URL_SCHEME: dict[str, Any] = {"assume_scheme": "https"} if django.VERSION >= (5, 0) else {}


def _datetime_field(
    label: StrOrPromise, *, required: bool, help_text: StrOrPromise = ""
) -> forms.DateTimeField:
    # A native date-time picker: no admin JavaScript needed, and ISO input parses everywhere.
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=_DATETIME_FORMAT),
    )


class _ZonedForm(forms.Form):
    """A form whose date fields say their time zone (the admin's current one) in the label."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zone = timezone.get_current_timezone_name()
        for field in self.fields.values():
            if isinstance(field, forms.DateTimeField):
                field.label = _("%(label)s (%(zone)s)") % {"label": field.label, "zone": zone}


def newer_versions(rows: list[VersionLifecycle]) -> Any:
    """The versions newer than every row in ``rows`` and not retired: possible successors."""
    choices = VersionLifecycle.objects.exclude(status=Status.RETIRED).order_by("major", "minor")
    if rows:
        newest = max(rows, key=lambda row: (row.major, row.minor))
        choices = choices.filter(
            Q(major__gt=newest.major) | Q(major=newest.major, minor__gt=newest.minor)
        )
    return choices


class DeprecateForm(_ZonedForm):
    """Dates, successor and documentation link of a deprecation."""

    deprecated_at = _datetime_field(_("Deprecation date"), required=True)
    sunset_at = _datetime_field(
        _("Sunset date"),
        required=False,
        help_text=_("From then on the version answers 410 Gone. Leave empty for no sunset yet."),
    )
    successor = forms.ModelChoiceField(
        label=_("Successor"),
        queryset=VersionLifecycle.objects.exclude(status=Status.RETIRED),
        required=False,
        help_text=_("The newer version clients should move to."),
    )
    documentation_url = forms.URLField(
        label=_("Documentation link"),
        required=False,
        help_text=_('Migration guide, sent as Link rel="deprecation".'),
        validators=[validate_documentation_url],
        **URL_SCHEME,
    )

    def __init__(
        self, *args: Any, rows: list[VersionLifecycle] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deprecated_at"].initial = timezone.now().replace(second=0, microsecond=0)
        # Only newer, non-retired versions can succeed; the newest stable one is the default.
        successors = newer_versions(rows or [])
        successor = self.fields["successor"]
        assert isinstance(successor, forms.ModelChoiceField)  # for mypy: declared above
        successor.queryset = successors
        successor.initial = (
            successors.filter(status=Status.STABLE).order_by("-major", "-minor").first()
        )
        # Changing one deprecated version's deprecation starts from what it has.
        if rows and len(rows) == 1 and rows[0].status == Status.DEPRECATED:
            row = rows[0]
            self.fields["deprecated_at"].initial = row.deprecated_at
            self.fields["sunset_at"].initial = row.sunset_at
            successor.initial = row.successor or successor.initial
            self.fields["documentation_url"].initial = row.documentation_url

    def clean(self) -> dict[str, Any]:
        """Refuse a sunset before the deprecation, next to the sunset field."""
        super().clean()
        data = self.cleaned_data
        deprecated_at, sunset_at = data.get("deprecated_at"), data.get("sunset_at")
        if deprecated_at and sunset_at and sunset_at < deprecated_at:
            self.add_error("sunset_at", _("The sunset cannot be before the deprecation."))
        return data


class StabilizeForm(_ZonedForm):
    """When the version was released as stable."""

    released_at = _datetime_field(_("Release date"), required=False)

    def __init__(
        self, *args: Any, rows: list[VersionLifecycle] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["released_at"].initial = timezone.now().replace(second=0, microsecond=0)


class ConfirmForm(forms.Form):
    """No fields: the intermediate page only asks to confirm."""

    def __init__(
        self, *args: Any, rows: list[VersionLifecycle] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)


def route_choices() -> list[tuple[str, str]]:
    """The route names of the versioned URLs, for a choice list."""

    try:
        _majors, routes = mounted_versions()
    except Exception:
        routes = set()
    return [(route, route) for route in sorted(routes)]


class EndpointDeprecationForm(forms.ModelForm):
    """An endpoint deprecation; the route is picked from the versioned URLs."""

    documentation_url = forms.URLField(
        label=_("documentation URL"),
        required=False,
        max_length=200,
        validators=[validate_documentation_url],
        **URL_SCHEME,
    )

    class Meta:
        model = EndpointDeprecation
        fields = [
            "route",
            "method",
            "from_version",
            "deprecated_at",
            "sunset_at",
            "replacement",
            "documentation_url",
            "note",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "route" in self.fields:
            choices = route_choices()
            current = self.instance.route if self.instance.pk else None
            if current and (current, current) not in choices:
                choices.append((current, current))  # keep a stale route editable
            self.fields["route"].widget = forms.Select(choices=[("", "---------"), *choices])

    def clean(self) -> dict[str, Any]:
        """Refuse a sunset before the deprecation."""
        # ModelForm.clean() returns ``cleaned_data``; the stubs type Form.clean() as "or None".
        super().clean()
        data = self.cleaned_data
        deprecated_at, sunset_at = data.get("deprecated_at"), data.get("sunset_at")
        if deprecated_at and sunset_at and sunset_at < deprecated_at:
            self.add_error("sunset_at", _("The sunset cannot be before the deprecation."))
        return data

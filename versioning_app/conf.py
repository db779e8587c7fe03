"""The ``VERSIONING_APP`` settings dict: read lazily, with derived values, reloaded on change.

What each setting accepts and defaults to is declared once, in ``settings_spec``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

from versioning_app.settings_spec import SETTINGS, SETTINGS_NAME
from versioning_app.settings_validators import Invalid, bundle_from
from versioning_app.versions import VersionBundle

if TYPE_CHECKING:
    from django.http import HttpRequest

# The Django settings whose change reloads the app settings and everything derived from them:
# tests swap the URLconf together with the bundle, and the schema cache's code fingerprint
# hashes drf-spectacular's and DRF's settings.
WATCHED_SETTINGS = frozenset(
    {SETTINGS_NAME, "ROOT_URLCONF", "SPECTACULAR_SETTINGS", "REST_FRAMEWORK"}
)


class AppSettings:
    """Attribute access to ``settings.VERSIONING_APP`` with defaults, never bound at import.

    Upper-case names are the settings; lower-case properties are values derived from them,
    computed once and forgotten, with the settings, by ``reload``.
    """

    def __init__(self) -> None:
        self._on_reload: list[Callable[[], None]] = []

    @property
    def user_settings(self) -> dict[str, Any]:
        """The project's ``VERSIONING_APP`` dict, or an empty one."""
        value = getattr(settings, SETTINGS_NAME, {})
        return value if isinstance(value, dict) else {}

    def __getattr__(self, name: str) -> Any:
        # Only reached on a miss: the value is then stored as an instance attribute, so later
        # reads (several per request) are plain attribute lookups, as in DRF's api_settings.
        if name not in SETTINGS:
            raise AttributeError(f"Invalid {SETTINGS_NAME} setting: {name!r}")
        value = self.user_settings.get(name, SETTINGS[name].default)
        setattr(self, name, value)
        return value

    @cached_property
    def versions(self) -> VersionBundle:
        """The project's VersionBundle, imported on first use."""
        return load_versions(self.VERSIONS)

    @cached_property
    def version_header_meta_key(self) -> str:
        """The ``request.META`` key of the version header (``HTTP_API_VERSION``)."""
        return f"HTTP_{str(self.VERSION_HEADER).upper().replace('-', '_')}"

    @cached_property
    def usage_client_resolver(self) -> Callable[[HttpRequest], str | None]:
        """The function that names a request's client, imported on first use."""
        resolver: Callable[[HttpRequest], str | None] = import_string(self.USAGE_CLIENT_RESOLVER)
        return resolver

    def on_reload(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Call ``callback`` after every reload (for caches of values derived elsewhere)."""
        if callback not in self._on_reload:
            self._on_reload.append(callback)
        return callback

    def reload(self) -> None:
        """Forget every setting and derived value read so far, then run the reload callbacks."""
        for name in [*SETTINGS, *_DERIVED]:
            self.__dict__.pop(name, None)
        for callback in self._on_reload:
            callback()


_DERIVED = [name for name, value in vars(AppSettings).items() if isinstance(value, cached_property)]


def load_versions(path: object) -> VersionBundle:
    """Import the VersionBundle that a ``VERSIONS`` setting names (or accept one directly)."""
    try:
        return bundle_from(path)
    except Invalid:
        spec = SETTINGS["VERSIONS"]
        raise ImproperlyConfigured(f"{spec.problem(path)} {spec.hint}") from None


app_settings = AppSettings()


@receiver(setting_changed)
def _reload_app_settings(*, setting: str, **kwargs: Any) -> None:
    if setting in WATCHED_SETTINGS:
        app_settings.reload()

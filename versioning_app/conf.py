"""The ``VERSIONING_APP`` settings dict: defaults, read lazily, reloaded on ``setting_changed``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

from versioning_app.versions import VersionBundle

SETTINGS_NAME = "VERSIONING_APP"

DEFAULTS: dict[str, Any] = {
    # Dotted path to the project's VersionBundle (required).
    "VERSIONS": None,
    # Request header that pins a minor of the major in the URL; also the response header.
    "VERSION_HEADER": "API-Version",
    # Prefix of the problem+json `type` members; point it at your own error docs if you have them.
    "PROBLEM_TYPE_BASE": "urn:versioning-app:problem:",
    # Upper bound, in seconds, on how long a worker process serves a lifecycle snapshot before
    # it revalidates it (one cache read); an admin change reaches every worker within this time.
    "LIFECYCLE_REFRESH_SECONDS": 5,
    # The Django cache (alias in CACHES) holding the lifecycle generation token. It must be
    # shared by every worker process (Redis, Memcached, database or file cache) in production.
    "CACHE_ALIAS": "default",
    # Status of the lifecycle row created for a newly declared version: "stable" or "preview".
    "NEW_VERSION_STATUS": "stable",
    # Who may read the schemas, docs and changelog: dotted permission classes, or None for
    # REST_FRAMEWORK's DEFAULT_PERMISSION_CLASSES (whoever may call the API may read its docs).
    "DOCS_PERMISSION_CLASSES": None,
    # The Django cache alias that keeps generated schemas.
    "SCHEMA_CACHE": "default",
    # Seconds a generated schema stays in that cache (None: until evicted). Keys change with the
    # lifecycle and the code anyway; this only bounds how long unused entries linger.
    "SCHEMA_CACHE_TIMEOUT": 24 * 60 * 60,
    # Usage tracking: count requests per version, endpoint, client and day.
    "USAGE_ENABLED": True,
    # Cache alias that buffers the counts; a shared cache (Redis, Memcached) gives one buffer
    # for every worker process. Never a DatabaseCache: that would write on the request path.
    "USAGE_CACHE_ALIAS": "default",
    # Dotted path of ``callable(request) -> str | None`` naming the client (None: anonymous).
    "USAGE_CLIENT_RESOLVER": "versioning_app.usage.recording.default_client",
    # Width of a buffer slot in seconds; a divisor of 86400 so that a slot never spans two days.
    "USAGE_SLOT_SECONDS": 60,
    # Seconds a slot stays open after it ends, for requests that were counted late.
    "USAGE_FLUSH_GRACE_SECONDS": 10,
    # Seconds between automatic flushes by a background thread per process; 0 turns it off.
    "USAGE_FLUSH_INTERVAL": 60,
    # Daily rows older than this many days are deleted by the flush; None keeps them.
    "USAGE_RETENTION_DAYS": None,
}


class AppSettings:
    """Attribute access to ``settings.VERSIONING_APP`` with defaults, never bound at import.

    ``versions`` (the project's VersionBundle, imported on first use) and
    ``version_header_meta_key`` (``HTTP_API_VERSION``) are derived from the settings.
    """

    versions: VersionBundle
    version_header_meta_key: str

    def __init__(self, defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        self._cache: dict[str, Any] = {}

    @property
    def user_settings(self) -> dict[str, Any]:
        """The project's ``VERSIONING_APP`` dict, or an empty one."""
        value = getattr(settings, SETTINGS_NAME, {})
        return value if isinstance(value, dict) else {}

    def __getattr__(self, name: str) -> Any:
        # Only reached on a miss: the value is then stored as an instance attribute, so later
        # reads (several per request) are plain attribute lookups, as in DRF's api_settings.
        if name == "versions":
            value: Any = load_versions(self.VERSIONS)
        elif name == "version_header_meta_key":
            value = f"HTTP_{str(self.VERSION_HEADER).upper().replace('-', '_')}"
        elif name in self.defaults:
            value = self.user_settings.get(name, self.defaults[name])
        else:
            raise AttributeError(f"Invalid {SETTINGS_NAME} setting: {name!r}")
        setattr(self, name, value)
        self._cache[name] = value
        return value

    def reload(self) -> None:
        """Forget everything read so far, so the next access reads the settings again."""
        for name in self._cache:
            self.__dict__.pop(name, None)
        self._cache.clear()


def load_versions(path: object) -> VersionBundle:
    """Import the VersionBundle that a ``VERSIONS`` setting names (or accept one directly)."""
    if isinstance(path, VersionBundle):
        return path
    if not isinstance(path, str) or not path:
        raise ImproperlyConfigured(
            f"{SETTINGS_NAME}['VERSIONS'] must be the dotted path of your VersionBundle, "
            "e.g. 'myproject.api.versions.VERSIONS'."
        )
    bundle = import_string(path)
    if not isinstance(bundle, VersionBundle):
        raise ImproperlyConfigured(
            f"{SETTINGS_NAME}['VERSIONS'] = {path!r} is a {type(bundle).__name__}, "
            "not a VersionBundle."
        )
    return bundle


app_settings = AppSettings(DEFAULTS)


@receiver(setting_changed)
def _reload_app_settings(*, setting: str, **kwargs: Any) -> None:
    if setting in (SETTINGS_NAME, "ROOT_URLCONF"):
        app_settings.reload()

"""Settings of the schema-scale benchmark: the synthetic project, in-memory SQLite and cache."""

from tests.settings import *  # noqa: F403

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "rest_framework",
    "drf_spectacular",
    "versioning_app",
    "benchmarks.synthetic_app.apps.SyntheticConfig",
]
ROOT_URLCONF = "benchmarks.synthetic_app.urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MIDDLEWARE: list[str] = []
VERSIONING_APP = {
    **VERSIONING_APP,  # noqa: F405
    "VERSIONS": "benchmarks.synthetic_app.api.VERSIONS",
    "NEW_VERSION_STATUS": "stable",
}
SILENCED_SYSTEM_CHECKS = ["versioning_app.W081", "versioning_app.W062", "versioning_app.W063"]

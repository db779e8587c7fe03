"""Benchmark settings: the test settings, an in-memory SQLite, 50-item pages, plain and versioned URLs."""

from tests.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
# Always in process, whatever VERSIONING_APP_TEST_DB/CACHE say: the figures must not depend on
# a server, and the benchmark must never migrate or fill a real database.
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DEBUG = False
REST_FRAMEWORK = {**REST_FRAMEWORK, "PAGE_SIZE": 50}  # noqa: F405
# The test settings serve tests.testapp; the benchmarks measure the example project. New rows
# start as previews, as in a project that releases through the lifecycle: the scenarios bring
# each version to its state with the lifecycle functions (3.0 stays a preview for its pairs).
VERSIONING_APP = {
    **VERSIONING_APP,  # noqa: F405
    "VERSIONS": "example_project.library.versions.VERSIONS",
    "NEW_VERSION_STATUS": "preview",
    # Stored pins on, as the example project runs: every pair pays for the client lookup.
    "CLIENTS_PINNING": True,
}
# First, so that both sides pay for it alike: each side resolves against its own URLconf.
# Our middleware runs for the versioned side only (see benchmarks.urls.versioned_side_only).
MIDDLEWARE = [
    "benchmarks.urls.select_urlconf",
    *(
        "benchmarks.urls.versioned_side_only"
        if entry == "versioning_app.middleware.VersioningMiddleware"
        else entry
        for entry in MIDDLEWARE  # noqa: F405
    ),
]

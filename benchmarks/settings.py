"""Benchmark settings: the test settings, an in-memory SQLite, 50-item pages, plain and versioned URLs."""

from tests.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
# Always in process, whatever VERSIONING_APP_TEST_DB/CACHE say: the figures must not depend on
# a server, and the benchmark must never migrate or fill a real database.
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DEBUG = False
REST_FRAMEWORK = {**REST_FRAMEWORK, "PAGE_SIZE": 50}  # noqa: F405
# The test settings serve tests.testapp; the benchmarks measure the example project.
VERSIONING_APP = {**VERSIONING_APP, "VERSIONS": "example_project.library.versions.VERSIONS"}  # noqa: F405
# First, so that both sides pay for it alike: each side resolves against its own URLconf.
MIDDLEWARE = ["benchmarks.urls.select_urlconf", *MIDDLEWARE]  # noqa: F405

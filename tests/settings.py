"""Test settings: SQLite and a local-memory cache, or PostgreSQL and Redis when asked for.

``VERSIONING_APP_TEST_DB=postgres`` and ``VERSIONING_APP_TEST_CACHE=redis`` select the real
servers on 127.0.0.1. When asked for and unreachable, the suite fails at start-up
(see conftest.py); it never falls back to SQLite or local memory silently.
"""

import os

SECRET_KEY = "tests"
DEBUG = False
ALLOWED_HOSTS = ["*"]
USE_TZ = True
TIME_ZONE = "UTC"
# The tests' own versioned app; the example project's contract tests switch to the example
# (tests/support/example.py).
ROOT_URLCONF = "tests.testapp.urls"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
STATIC_URL = "static/"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, tests only

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "versioning_app",
    "tests.testapp",
    # Installed for the contract tests of the example project, which run against it.
    "example_project.library",
]

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "versioning_app.middleware.VersioningMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

TEST_DB = os.environ.get("VERSIONING_APP_TEST_DB", "sqlite")
TEST_CACHE = os.environ.get("VERSIONING_APP_TEST_CACHE", "locmem")
# With the automatic flush off, a local-memory usage buffer is flushed by the tests themselves.
SILENCED_SYSTEM_CHECKS = ["versioning_app.W081"]

if TEST_DB == "postgres":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "HOST": os.environ.get("PGHOST", "127.0.0.1"),
            "PORT": os.environ.get("PGPORT", "5432"),
            "USER": os.environ.get("PGUSER", "postgres"),
            # Django tests in "test_<NAME>"; parallel runs pick different names.
            "NAME": os.environ.get("VERSIONING_APP_TEST_DB_NAME", "versioning_app"),
        }
    }
elif TEST_DB == "sqlite":
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
else:
    raise RuntimeError(f"VERSIONING_APP_TEST_DB must be 'sqlite' or 'postgres', not {TEST_DB!r}")

if TEST_CACHE == "redis":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ.get("VERSIONING_APP_TEST_REDIS", "redis://127.0.0.1:6379/1"),
            # Bounded: a hung Redis fails a call after this long (check W013).
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
elif TEST_CACHE == "locmem":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise RuntimeError(f"VERSIONING_APP_TEST_CACHE must be 'locmem' or 'redis', not {TEST_CACHE!r}")

REST_FRAMEWORK = {
    "DEFAULT_VERSIONING_CLASS": "versioning_app.versioning.APIVersioning",
    "EXCEPTION_HANDLER": "versioning_app.errors.exception_handler",
    # Bounded in depth and size: a hostile body is a 400 or 413 problem, never a 500.
    "DEFAULT_PARSER_CLASSES": [
        "versioning_app.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_METADATA_CLASS": "versioning_app.metadata.VersionedMetadata",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "versioning_app.renderers.VersionedBrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}

VERSIONING_APP = {
    "VERSIONS": "tests.testapp.versions.VERSIONS",
    # No background flush thread in tests; a test that wants one turns it on.
    "USAGE_FLUSH_INTERVAL": 0,
}

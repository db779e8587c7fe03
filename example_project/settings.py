"""Settings of the example project: a demo, not a production configuration."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = "demo-only-not-secret"
DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

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
    "example_project.library",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "versioning_app.middleware.VersioningMiddleware",
]

ROOT_URLCONF = "example_project.urls"
WSGI_APPLICATION = "example_project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A cache that every worker process shares: one usage buffer and one copy of each schema for
# them all (see versioning_app.W081). Use Redis or Memcached in production.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": BASE_DIR / ".cache",
    }
}

# The demo runs one server process (runserver); file-based increments are not atomic across
# processes, which matters only with several workers. Deploy with Redis or Memcached instead.
SILENCED_SYSTEM_CHECKS = ["versioning_app.W080"]

# Under several workers: EXAMPLE_REDIS_URL=redis://127.0.0.1:6379/0. Every call is bounded in
# time (check W013): a Redis that hangs fails a call after half a second, and the app carries
# on (schemas from the process, usage counts kept in the process until the next push).
if os.environ.get("EXAMPLE_REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["EXAMPLE_REDIS_URL"],
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    SILENCED_SYSTEM_CHECKS = []

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"

REST_FRAMEWORK = {
    "DEFAULT_VERSIONING_CLASS": "versioning_app.versioning.APIVersioning",
    "EXCEPTION_HANDLER": "versioning_app.errors.exception_handler",
    # Bounded in depth and size: a hostile body is a 400 or 413 problem, never a 500.
    "DEFAULT_PARSER_CLASSES": [
        "versioning_app.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # The browsable API lists API-Version, Deprecation, Sunset and Link like curl shows them.
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "versioning_app.renderers.VersionedBrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}

VERSIONING_APP = {
    "VERSIONS": "example_project.library.versions.VERSIONS",
    # A newly declared version starts in preview; mark it stable in the admin when it is ready.
    "NEW_VERSION_STATUS": "preview",
    # A client without a version header keeps the version of its first request (its pin).
    "CLIENTS_PINNING": True,
}

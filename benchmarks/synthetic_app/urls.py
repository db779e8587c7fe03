"""Both sides mounted: ``api/v1/``, ``api/v2/`` through versioning_app, ``plain/`` without."""

from django.urls import include, path

from benchmarks.synthetic_app.api import plain_router, router
from versioning_app.routing import versioned_urls

plain_patterns = [path("plain/", include(plain_router.urls))]
urlpatterns = [*versioned_urls(router.urls, prefix="api/"), *plain_patterns]

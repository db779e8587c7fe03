"""The library routes versioned by ``tests.support.declarations.METHOD_LEVEL``."""

from django.urls import include, path

from tests.support.declarations import METHOD_LEVEL
from tests.testapp.urls import router
from versioning_app.routing import versioned_urls

urlpatterns = [path("api/", include(versioned_urls(router.urls, versions=METHOD_LEVEL)))]

"""The library routes versioned by ``tests.declarations.METHOD_LEVEL``."""

from django.urls import include, path

from example_project.library.urls import router
from tests.declarations import METHOD_LEVEL
from versioning_app.routing import versioned_urls

urlpatterns = [path("api/", include(versioned_urls(router.urls, versions=METHOD_LEVEL)))]

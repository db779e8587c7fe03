"""The test app's URLs with the API mounted by ``include()`` rather than spliced in."""

from django.urls import include, path

from tests.testapp.urls import router
from versioning_app.routing import versioned_urls

urlpatterns = [
    path("api/", include(versioned_urls(router.urls))),
    path("api/", include("versioning_app.urls")),
]

"""The example project's URLs: the admin, the docs, and the API with one namespace per major."""

from django.contrib import admin
from django.urls import include, path

from example_project.library.urls import router
from versioning_app.routing import versioned_urls

urlpatterns = [
    path("admin/", admin.site.urls),
    # The API first: it gets the traffic, and URL resolution tries patterns in order.
    path("api/", include(versioned_urls(router.urls))),
    path("api/", include("versioning_app.urls")),
]

"""The example project's URLs: the admin, the docs, and the API with one namespace per major."""

from django.contrib import admin
from django.urls import include, path

from example_project.library.urls import router
from versioning_app.routing import versioned_urls

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("versioning_app.urls")),
    path("api/", include(versioned_urls(router.urls))),
]

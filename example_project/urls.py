"""The example project's URLs: the admin, the docs, and the API with one namespace per major."""

from django.contrib import admin
from django.urls import include, path

from example_project.library.urls import router
from versioning_app.routing import versioned_urls

urlpatterns = [
    # Spliced in with its prefix rather than include()d: one URL resolver level less for
    # every API request.
    *versioned_urls(router.urls, prefix="api/"),
    path("api/", include("versioning_app.urls")),
    path("admin/", admin.site.urls),
]

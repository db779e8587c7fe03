"""The tests' root URLconf: the test API under ``api/`` (a namespace per major), docs, admin."""

from django.contrib import admin
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from tests.testapp.views import AuthorViewSet, BookViewSet
from versioning_app.routing import versioned_urls

router = DefaultRouter()
router.register("books", BookViewSet, basename="book")
router.register("authors", AuthorViewSet, basename="author")

urlpatterns = [
    # Spliced in with its prefix, as the example project does; tests.support.urlconfs.included
    # covers the include() form.
    *versioned_urls(router.urls, prefix="api/"),
    path("api/", include("versioning_app.urls")),
    path("admin/", admin.site.urls),
]

"""The same library endpoints twice: plain DRF (no versioning) and through versioning_app."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from example_project.library.urls import router as versioned_router
from example_project.library.views import BookViewSet
from versioning_app.routing import versioned_urls


class PlainBookViewSet(BookViewSet):
    """The example's book viewset with DRF versioning switched off: the baseline."""

    versioning_class = None


plain_router = SimpleRouter()
plain_router.register("books", PlainBookViewSet, basename="plain-book")

urlpatterns = [
    path("plain/", include(plain_router.urls)),
    path("api/", include(versioned_urls(versioned_router.urls))),
]

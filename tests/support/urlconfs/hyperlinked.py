"""The hyperlinked books and authors of ``tests.support.hyperlinked``, under ``api/v1``/``v2``."""

from rest_framework.routers import DefaultRouter

from tests.support.hyperlinked import HYPERLINKED, LinkedAuthorViewSet, LinkedBookViewSet
from versioning_app.routing import versioned_urls

router = DefaultRouter()
router.register("books", LinkedBookViewSet, basename="book")
router.register("authors", LinkedAuthorViewSet, basename="author")

urlpatterns = versioned_urls(router.urls, prefix="api/", versions=HYPERLINKED)

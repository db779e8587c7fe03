"""The test app's URLs plus a versioned serializer the project gave no docstring.

drf-spectacular describes a component with the first docstring up its class's MRO, which
would be the package's own ``VersionedModelSerializer`` docstring here.
"""

from django.urls import include, path
from rest_framework import viewsets
from rest_framework.routers import DefaultRouter

from tests.testapp.models import Author
from tests.testapp.urls import router as testapp_router
from versioning_app import VersionedModelSerializer
from versioning_app.routing import versioned_urls


class UndocumentedAuthorSerializer(VersionedModelSerializer):
    # No docstring, on purpose: its component must have no description.

    class Meta:
        model = Author
        fields = ["id", "name"]


class UndocumentedAuthorViewSet(viewsets.ReadOnlyModelViewSet):
    """Authors through a serializer without a docstring."""

    queryset = Author.objects.all()
    serializer_class = UndocumentedAuthorSerializer


router = DefaultRouter()
router.registry.extend(testapp_router.registry)
router.register("plain-authors", UndocumentedAuthorViewSet, basename="plain-author")

urlpatterns = [
    *versioned_urls(router.urls, prefix="api/"),
    path("api/", include("versioning_app.urls")),
]

"""The test URLs plus drf-spectacular's own schema view, with and without a version."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from tests.testapp.urls import urlpatterns as app_urlpatterns

urlpatterns = [
    *app_urlpatterns,
    path("spectacular/", SpectacularAPIView.as_view(), name="spectacular"),
    path(
        "spectacular/2.1/",
        SpectacularAPIView.as_view(api_version="2.1"),
        name="spectacular-2.1",
    ),
]

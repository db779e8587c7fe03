"""The app's own URLs: schemas, docs pages, the changelog and a client's own upgrade report.

Include them under ``api/``.
"""

from django.urls import path

from versioning_app.clients.views import UpgradeReportView
from versioning_app.docs import views

app_name = "versioning_app"

urlpatterns = [
    path("schema/", views.SchemaIndexView.as_view(), name="schema-index"),
    path("schema/<str:version>/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.SwaggerView.as_view(), name="docs"),
    path("docs/<str:version>/", views.SwaggerView.as_view(), name="docs-version"),
    path("redoc/", views.RedocView.as_view(), name="redoc"),
    path("redoc/<str:version>/", views.RedocView.as_view(), name="redoc-version"),
    path("changelog/", views.ChangelogView.as_view(), name="changelog"),
    path(
        "clients/me/upgrade-report/",
        UpgradeReportView.as_view(),
        name="client-upgrade-report",
    ),
]

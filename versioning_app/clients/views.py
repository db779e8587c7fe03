"""``GET <app urls>/clients/me/upgrade-report/?to=<version>``: a client's own upgrade report.

For the authenticated client itself (the same resolver as usage and pins name it), as JSON. A
client the flush has not recorded yet, or an anonymous caller, gets a 404 problem; a bad or
older ``to`` a 400 problem. Nothing of the query string is echoed into a header.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from versioning_app.clients import pins, report
from versioning_app.clients.models import Client
from versioning_app.clients.resolution import client_of
from versioning_app.errors import Problem


class ClientNotFound(Problem):
    """The caller is not a client the app has recorded (yet)."""

    status_code = status.HTTP_404_NOT_FOUND
    slug = "client-not-found"
    title = gettext_lazy("Unknown API client")


class ReportNotPossible(Problem):
    """The report cannot be made for this target."""

    slug = "upgrade-report-refused"
    title = gettext_lazy("No upgrade report")


class UpgradeReportView(APIView):
    """The authenticated client's upgrade report to ``?to=<version>``."""

    versioning_class = None
    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]
    schema = None

    def get(self, request: Request) -> Response:
        """The report as JSON."""
        key = client_of(request)
        client = Client.objects.filter(key=key).first() if key else None
        if client is None:
            raise ClientNotFound(
                _("No calls of yours are recorded yet: call the API, then ask again.")
            )
        try:
            target = pins.parse_version(str(request.query_params.get("to", "")))
            built = report.build_report(client, target)
        except (pins.PinRefused, report.ReportRefused) as exc:
            raise ReportNotPossible(str(exc)) from exc
        return Response(built.as_dict())

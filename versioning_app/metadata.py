"""DRF's ``OPTIONS`` metadata for the served version: only the actions its ``Allow`` lists."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework.metadata import SimpleMetadata
from rest_framework.request import Request

if TYPE_CHECKING:
    # Only for the annotation: rest_framework.views reads DEFAULT_METADATA_CLASS (this class)
    # when it is imported.
    from rest_framework.views import APIView

from versioning_app.conf import app_settings
from versioning_app.decision import decision_of


class VersionedMetadata(SimpleMetadata):
    """``SimpleMetadata`` whose ``actions`` leave out the methods the served version lacks.

    DRF describes ``POST`` and ``PUT`` from the view's methods; a method-level
    ``EndpointAdded``/``EndpointRemoved`` takes some of them away from older versions, as the
    ``Allow`` header does. Name it in ``REST_FRAMEWORK["DEFAULT_METADATA_CLASS"]``.
    """

    def determine_actions(self, request: Request, view: APIView) -> dict[str, Any]:
        """DRF's actions, less those of methods the served version does not have."""
        actions: dict[str, Any] = super().determine_actions(request, view)
        decision = decision_of(request._request)
        if decision is None or decision.number is None or not decision.route:
            return actions
        endpoints = app_settings.versions.endpoints
        route, number = decision.route, decision.number
        return {
            method: info
            for method, info in actions.items()
            if endpoints.available(route, method, number)
        }

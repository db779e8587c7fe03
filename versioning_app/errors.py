"""problem+json (RFC 9457): the errors the app raises, and how they are rendered."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException

from versioning_app.conf import app_settings

PROBLEM_CONTENT_TYPE = "application/problem+json"


class Problem(APIException):
    """An API error rendered as problem+json; each subclass is one problem type."""

    # ``int``, not the stubs' ``Literal[400]``: each subclass sets its own status.
    status_code: int = status.HTTP_400_BAD_REQUEST
    slug = "bad-request"
    title = _("Bad request")

    def __init__(self, detail: str, **members: Any) -> None:
        super().__init__(detail)
        self.members = members
        #: Response headers that belong to the problem (e.g. ``Link`` to a successor).
        self.headers: dict[str, str] = {}

    def as_dict(self) -> dict[str, Any]:
        """The RFC 9457 body: ``type``, ``title``, ``status``, ``detail`` and extension members."""
        return {
            "type": f"{app_settings.PROBLEM_TYPE_BASE}{self.slug}",
            "title": str(self.title),
            "status": self.status_code,
            "detail": str(self.detail),
            **self.members,
        }


class UnknownVersion(Problem):
    """The URL names a major version that the API does not have."""

    status_code = status.HTTP_404_NOT_FOUND
    slug = "unknown-version"
    title = _("Unknown API version")


class InvalidVersionHeader(Problem):
    """The version request header is malformed, unknown, or of another major."""

    status_code = status.HTTP_400_BAD_REQUEST
    slug = "invalid-version"
    title = _("Invalid API version")


class EndpointNotInVersion(Problem):
    """The endpoint exists in some versions, but not in the one being served."""

    status_code = status.HTTP_404_NOT_FOUND
    slug = "endpoint-not-in-version"
    title = _("Endpoint not available in this version")


class VersionRetired(Problem):
    """The served version is retired, or past its sunset; the body names the successor."""

    status_code = status.HTTP_410_GONE
    slug = "version-retired"
    title = _("API version retired")


class EndpointRetired(Problem):
    """The endpoint is past the sunset of its deprecation in the served version."""

    status_code = status.HTTP_410_GONE
    slug = "endpoint-retired"
    title = _("Endpoint retired")


class BrownoutInProgress(Problem):
    """The served version (or endpoint) is in a scheduled brownout, a rehearsal of its sunset."""

    status_code = status.HTTP_410_GONE
    slug = "brownout"
    title = _("API version in a scheduled brownout")


class VersionReadOnly(Problem):
    """A write to a version whose policy is read-only; reads still work."""

    status_code = status.HTTP_410_GONE
    slug = "read-only"
    title = _("API version is read-only")


class NewClientsClosed(Problem):
    """A client first seen after the version stopped accepting new clients."""

    status_code = status.HTTP_400_BAD_REQUEST
    slug = "new-clients-closed"
    title = _("API version closed to new clients")


def problem_response(problem: Problem, headers: dict[str, str] | None = None) -> HttpResponse:
    """Render a problem as an ``application/problem+json`` response (with its own headers)."""
    body = json.dumps(problem.as_dict(), cls=DjangoJSONEncoder, ensure_ascii=False)
    return HttpResponse(
        body,
        status=problem.status_code,
        content_type=PROBLEM_CONTENT_TYPE,
        headers={**problem.headers, **(headers or {})},
    )


def exception_handler(exc: Exception, context: dict[str, Any]) -> HttpResponse | None:
    """DRF ``EXCEPTION_HANDLER``: problems as problem+json, everything else as DRF does it."""
    # Imported here: rest_framework.views imports our versioning class (DEFAULT_VERSIONING_CLASS)
    # while it loads, and that class imports this module.
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, Problem):
        return problem_response(exc)
    return drf_exception_handler(exc, context)

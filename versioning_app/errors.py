"""problem+json (RFC 9457): the errors the app raises, and how they are rendered."""

from __future__ import annotations

import json
import logging
import math
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.serializers.json import DjangoJSONEncoder
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException, NotAcceptable, NotFound, ValidationError

from versioning_app.conf import app_settings

PROBLEM_CONTENT_TYPE = "application/problem+json"

logger = logging.getLogger("versioning_app")


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


class InvalidQueryParameter(Problem):
    """A query parameter's value cannot be read, or it names a lookup its filter lacks."""

    status_code = status.HTTP_400_BAD_REQUEST
    slug = "invalid-query-parameter"
    title = _("Invalid query parameter")


def invalid_query_parameter(name: str, message: str, **members: Any) -> InvalidQueryParameter:
    """The 400 problem of one query parameter, named as the client sent it."""
    return InvalidQueryParameter(
        gettext("The query parameter %(name)s is invalid: %(message)s")
        % {"name": name, "message": message},
        parameter=name,
        **members,
    )


#: Set by the query translation on the HttpRequest: head's parameter names -> the client's.
QUERY_NAMES_ATTRIBUTE = "_versioning_app_query_names"


def _query_problem(exc: ValidationError, context: dict[str, Any]) -> Problem | None:
    # A filter backend (django-filter) validates some parameters itself and raises DRF's
    # ValidationError keyed by head's names: the client gets its own names, as a problem.
    request = context.get("request")
    if request is None or request.method not in ("GET", "HEAD", "OPTIONS"):
        return None
    names: dict[str, str] | None = getattr(request._request, QUERY_NAMES_ATTRIBUTE, None)
    detail = exc.detail
    if not names or not isinstance(detail, dict) or not detail or not set(detail) <= set(names):
        return None
    errors = {
        names[key]: [str(message) for message in (value if isinstance(value, list) else [value])]
        for key, value in detail.items()
    }
    first = next(iter(errors))
    return invalid_query_parameter(first, " ".join(errors[first]), errors=errors)


class ServiceUnavailable(Problem):
    """The database cannot be reached: the version's lifecycle, or the answer, is unknown."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    slug = "service-unavailable"
    title = _("Service unavailable")


def service_unavailable(detail: str, **members: Any) -> ServiceUnavailable:
    """A 503 problem that tells the client when to try again (``Retry-After``)."""
    problem = ServiceUnavailable(detail, **members)
    problem.headers["Retry-After"] = str(max(1, math.ceil(app_settings.LIFECYCLE_REFRESH_SECONDS)))
    return problem


def lifecycle_unknown(number: object) -> ServiceUnavailable:
    """The 503 problem of a version whose lifecycle cannot be known now."""
    detail = gettext("The lifecycle of API version %(version)s cannot be read now; try again.")
    return service_unavailable(detail % {"version": number}, version=str(number))


class BodyTooDeep(Problem):
    """The JSON body is nested deeper than ``JSON_MAX_DEPTH`` (``parsers.JSONParser``)."""

    status_code = status.HTTP_400_BAD_REQUEST
    slug = "body-too-deep"
    title = _("Request body nested too deep")


class BodyTooLarge(Problem):
    """The body is larger than Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE``."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    slug = "body-too-large"
    title = _("Request body too large")


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


def _version_problem_first(context: dict[str, Any]) -> Problem | None:
    """Decide the version of a request whose content negotiation failed; its problem, if any.

    DRF negotiates the content (``?format=``, ``Accept``) before it determines the version: a
    406 or 404 from there would come before a version or lifecycle error, and without the
    decision the response would miss ``API-Version`` and ``Vary``. The version comes first.
    """
    request, view = context.get("request"), context.get("view")
    # DRF sets ``request.version`` once it has determined it: here it has not got that far.
    if request is None or view is None or "version" in vars(request):
        return None
    try:
        version, scheme = view.determine_version(
            request, *context.get("args", ()), **context.get("kwargs", {})
        )
    except Problem as problem:
        return problem
    except APIException:
        return None  # the negotiation's own error stands
    request.version, request.versioning_scheme = version, scheme
    return None


def exception_handler(exc: Exception, context: dict[str, Any]) -> HttpResponse | None:
    """DRF ``EXCEPTION_HANDLER``: problems as problem+json, everything else as DRF does it."""
    # Imported here: rest_framework.views imports our versioning class (DEFAULT_VERSIONING_CLASS)
    # while it loads, and that class imports this module.
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, Problem):
        return problem_response(exc)
    if isinstance(exc, NotAcceptable | NotFound | Http404):
        problem = _version_problem_first(context)
        if problem is not None:
            return problem_response(problem)
    if isinstance(exc, ValidationError):
        query_problem = _query_problem(exc, context)
        if query_problem is not None:
            return problem_response(query_problem)
    if isinstance(exc, OperationalError | InterfaceError):
        # The database went away under the view: a 503 the client may retry, not an HTML 500.
        # Logged as the error it is (a programming error, ProgrammingError say, is not caught).
        logger.error("The database failed during an API request.", exc_info=exc)
        return problem_response(
            service_unavailable(gettext("The service cannot reach its database; try again."))
        )
    if isinstance(exc, RequestDataTooBig):
        # Raised by Django when DRF reads the body: a 413 problem, not Django's 400 page.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        detail = gettext("The request body is larger than %(limit)s bytes.") % {"limit": limit}
        return problem_response(BodyTooLarge(detail, max_bytes=limit))
    return drf_exception_handler(exc, context)

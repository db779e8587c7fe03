"""Response headers of versioned requests: ``API-Version``, ``Vary``, a per-version ``Allow``,
and the lifecycle headers (``Deprecation``, ``Sunset``, ``Link``, ``API-Lifecycle``)."""

from __future__ import annotations

import datetime
import functools
import math
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.encoding import escape_uri_path, iri_to_uri
from django.utils.http import http_date

from versioning_app.conf import app_settings
from versioning_app.errors import EndpointRetired, Problem, VersionRetired
from versioning_app.lifecycle.snapshot import RETIRED, LifecycleSnapshot, get_snapshot
from versioning_app.versions import VersionNumber, namespace_for

_UNSET = object()


def add_version_headers(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    """Add ``API-Version`` (the served version) and ``Vary`` to a versioned request's response."""
    # ``api_version`` is set (possibly to None) only when a versioned route handled the request.
    served = getattr(request, "api_version", _UNSET)
    if served is _UNSET:
        return response
    header = app_settings.VERSION_HEADER
    # response.headers directly: HttpResponse's own get/__setitem__ only forward to it.
    headers = response.headers
    vary = vary_with(headers.get("Vary"), header)
    if vary is not None:
        headers["Vary"] = vary
    if served is not None:
        headers[header] = str(served)
        if app_settings.versions.endpoints.method_routes and response.has_header("Allow"):
            _restrict_allow(request, response, served)
        if served not in get_snapshot().quiet:  # a stable version announces nothing
            add_lifecycle_headers(request, response, served)
    return response


@functools.lru_cache(maxsize=64)
def vary_with(vary: str | None, header: str) -> str | None:
    """The ``Vary`` value that adds ``header`` to ``vary``, or None if it already varies on it."""
    # Memoized: responses carry the same few Vary values (DRF's "Accept", a CORS "Origin").
    if not vary:
        return header
    if vary.strip() == "*" or header.lower() in {t.strip().lower() for t in vary.split(",")}:
        return None
    return f"{vary}, {header}"


def _restrict_allow(
    request: HttpRequest, response: HttpResponseBase, served: VersionNumber
) -> None:
    # DRF's Allow lists the view's methods; drop those the served version does not have.
    endpoints = app_settings.versions.endpoints
    match = getattr(request, "resolver_match", None)
    route = match.url_name if match is not None else None
    if route not in endpoints.method_routes:
        return
    methods = [method.strip() for method in response["Allow"].split(",")]
    response["Allow"] = ", ".join(
        method
        for method in methods
        if method == "OPTIONS"
        or endpoints.available(route, "GET" if method == "HEAD" else method, served)
    )


# --- lifecycle: RFC 9745 Deprecation, RFC 8594 Sunset, RFC 8288 Link, API-Lifecycle ---------


# The values are pure functions of few distinct inputs (a handful of lifecycle dates and URLs):
# memoized, a deprecated version's headers cost a dictionary lookup each.
@functools.lru_cache(maxsize=256)
def deprecation_value(moment: datetime.datetime) -> str:
    """An RFC 9745 ``Deprecation`` value: a structured-field date, ``@<unix seconds>``."""
    return f"@{math.floor(moment.timestamp())}"


@functools.lru_cache(maxsize=256)
def sunset_value(moment: datetime.datetime) -> str:
    """An RFC 8594 ``Sunset`` value: an HTTP-date (IMF-fixdate, always ``GMT``)."""
    return http_date(math.floor(moment.timestamp()))


@functools.lru_cache(maxsize=1024)
def link_value(url: str, rel: str) -> str:
    """One RFC 8288 link-value; the URL is percent-encoded so it cannot break the header."""
    return f'<{iri_to_uri(url)}>; rel="{rel}"'


def _major_root(request: HttpRequest, served: int, target: int) -> str | None:
    # The path up to and including the served major's segment, moved to the target major.
    # Everything before that segment was matched by the project's own URLconf prefix.
    path = escape_uri_path(request.path)
    segment = f"/{namespace_for(served)}/"
    index = path.find(segment)
    if index < 0:
        return None
    return f"{path[:index]}/{namespace_for(target)}/"


@functools.lru_cache(maxsize=1024)
def _reverse(
    viewname: str,
    args: tuple[Any, ...],
    kwargs: tuple[tuple[str, Any], ...],
    urlconf: Any,
    prefix: str,
) -> str | None:
    # Keyed by URLconf and script prefix too, since reverse() depends on both.
    try:
        return reverse(viewname, urlconf=urlconf, args=args, kwargs=dict(kwargs))
    except NoReverseMatch:
        return None


def successor_url(
    request: HttpRequest, served: VersionNumber, successor: VersionNumber
) -> str | None:
    """Where the successor serves this resource: the same route in its major, else its root.

    RFC 5829's ``successor-version`` points at the successor version of *this resource*;
    when the successor lacks the route, the successor major's API root is the next best thing.
    """
    match = getattr(request, "resolver_match", None)
    if successor.major == served.major:
        return escape_uri_path(request.path)  # same URL, pinned with the version header
    route = match.url_name if match is not None else None
    if route and app_settings.versions.endpoints.route_in_version(route, successor):
        served_ns, target_ns = namespace_for(served.major), namespace_for(successor.major)
        namespaces = [target_ns if ns == served_ns else ns for ns in match.namespaces]
        url = _reverse(
            ":".join([*namespaces, route]),
            tuple(match.args),
            tuple(sorted(match.kwargs.items())),
            get_urlconf() or settings.ROOT_URLCONF,
            get_script_prefix(),
        )
        if url is not None:
            return url
    return _major_root(request, served.major, successor.major)


def gone_problem(
    request: HttpRequest, served: VersionNumber, route: str | None, method: str
) -> Problem | None:
    """The 410 problem when the served version, or this endpoint in it, is gone; else None."""
    snapshot = get_snapshot()
    if served in snapshot.quiet:
        return None
    # Imported here: errors imports DRF's views, which import our versioning class, which
    # imports this module (the middleware imports it first).

    state = snapshot.version(served)
    now = timezone.now()
    if state.is_gone(now):
        return version_gone_problem(
            served, snapshot, lambda successor: successor_url(request, served, successor)
        )
    endpoint = snapshot.endpoint_deprecation(route, method, served) if route else None
    if endpoint is None or not endpoint.is_gone(now):
        return None
    members: dict[str, Any] = {"version": str(served)}
    links = []
    detail = f"This endpoint is retired in API version {served}."
    if endpoint.replacement:
        members["replacement"] = endpoint.replacement
        detail += f" Use {endpoint.replacement} instead."
    if endpoint.documentation_url:
        members["documentation_url"] = endpoint.documentation_url
        links.append(link_value(endpoint.documentation_url, "deprecation"))
    problem: Problem = EndpointRetired(detail, **members)
    if links:
        problem.headers["Link"] = ", ".join(links)
    return problem


def version_gone_problem(
    served: VersionNumber,
    snapshot: LifecycleSnapshot,
    successor_link: Callable[[VersionNumber], str | None],
) -> Problem:
    """The 410 ``version-retired`` problem of a gone version, for the API and its docs alike.

    It names the successor (the declared one, else the newest stable version, if newer) and
    links to it; ``successor_link`` says where: the same resource in the API, or the
    successor's documentation page.
    """

    state = snapshot.version(served)
    successor = state.successor or snapshot.newest_stable
    if successor is not None and successor <= served:
        successor = None
    when = "retired" if state.status == RETIRED else "past its sunset"
    detail = f"API version {served} is {when}."
    members: dict[str, Any] = {"version": str(served)}
    links = []
    if successor is not None:
        detail += f" Use version {successor}."
        members["successor"] = str(successor)
        url = successor_link(successor)
        if url:
            links.append(link_value(url, "successor-version"))
    if state.documentation_url:
        members["documentation_url"] = state.documentation_url
        links.append(link_value(state.documentation_url, "deprecation"))
    problem = VersionRetired(detail, **members)
    if links:
        problem.headers["Link"] = ", ".join(links)
    return problem


def add_lifecycle_headers(
    request: HttpRequest, response: HttpResponseBase, served: VersionNumber
) -> HttpResponseBase:
    """Add ``API-Lifecycle``, ``Deprecation``, ``Sunset`` and ``Link`` for the served version."""
    snapshot = get_snapshot()
    if served in snapshot.quiet:
        return response
    state = snapshot.version(served)
    now = timezone.now()
    if state.is_gone(now):
        return response  # answered by gone_problem, with its own Link
    match = getattr(request, "resolver_match", None)
    route = match.url_name if match is not None else None
    method = "GET" if request.method == "HEAD" else str(request.method)
    endpoint = snapshot.endpoint_deprecation(route, method, served) if route else None
    if endpoint is not None and endpoint.is_gone(now):
        return response  # answered by gone_problem too
    if state.is_preview:
        response["API-Lifecycle"] = "preview"
    if not state.is_deprecated and endpoint is None:
        return response
    starts = [d for d in (state.deprecated_at if state.is_deprecated else None,) if d]
    sunsets = [state.sunset_at] if state.is_deprecated and state.sunset_at else []
    links = []
    if state.is_deprecated and state.documentation_url:
        links.append(link_value(state.documentation_url, "deprecation"))
    if endpoint is not None:
        starts.append(endpoint.deprecated_at)
        if endpoint.sunset_at:
            sunsets.append(endpoint.sunset_at)
        if endpoint.documentation_url:
            links.append(link_value(endpoint.documentation_url, "deprecation"))
    if state.is_deprecated and state.successor is not None:
        url = successor_url(request, served, state.successor)
        if url:
            links.append(link_value(url, "successor-version"))
    if starts:
        response["Deprecation"] = deprecation_value(min(starts))
    if sunsets:
        response["Sunset"] = sunset_value(min(sunsets))
    if links:
        existing = response.get("Link")
        response["Link"] = ", ".join([existing, *links] if existing else links)
    return response

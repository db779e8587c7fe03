"""The lifecycle verdict: what a version's life means for one request, decided in one place.

For a served version, a route and a method at a moment, :func:`verdict_for` says whether the
request answers 410 (and with which problem), and what the response announces: the
``API-Lifecycle: preview`` status, the RFC 9745 ``Deprecation`` and RFC 8594 ``Sunset`` dates
and the RFC 8288 ``Link`` values. The API (through the request's decision), its routing
catch-alls and the documentation views all ask here; ``headers.py`` only writes the answer.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.encoding import escape_uri_path, iri_to_uri
from django.utils.http import http_date
from django.utils.translation import gettext as _

from versioning_app.conf import app_settings
from versioning_app.errors import EndpointRetired, Problem, VersionRetired
from versioning_app.lifecycle import clock
from versioning_app.lifecycle.rehearsal import FirstSeen, rehearse
from versioning_app.lifecycle.snapshot import (
    PREVIEW,
    RETIRED,
    STABLE,
    EndpointDeprecationState,
    LifecycleSnapshot,
    get_snapshot,
)
from versioning_app.versions import VersionNumber, namespace_for

#: Where a successor version serves what the client asked for (None: nowhere to point).
SuccessorLink = Callable[[VersionNumber], str | None]


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the lifecycle says about one request; immutable, shared where nothing varies."""

    #: The version's stored status: preview, stable, deprecated (or retired, then ``gone``).
    status: str = STABLE
    #: Whether the request answers with ``problem``: 410 when the version or endpoint is gone,
    #: in a brownout or read-only; 400 when the version is closed to new clients.
    gone: bool = False
    #: The earliest deprecation that applies (the version's or the endpoint's), if announced.
    deprecated_at: datetime.datetime | None = None
    #: The earliest sunset that applies, if announced.
    sunset_at: datetime.datetime | None = None
    #: RFC 8288 link-values: ``rel="deprecation"`` documentation, ``rel="successor-version"``.
    links: tuple[str, ...] = ()
    #: The problem to answer with when ``gone`` (it carries its own ``Link`` header).
    problem: Problem | None = None
    #: For a version with brownouts or policies, the span of time over which this verdict
    #: holds for every request like this one (``still_holds``); None: unbounded.
    valid_from: datetime.datetime | None = None
    valid_until: datetime.datetime | None = None
    #: Whether an identified client may get another verdict (ask ``request_verdict`` again
    #: with its key): a brownout
    #: that targets clients is under way, or the version is closed to new clients.
    per_client: bool = False
    #: ``(name, value)`` of ``API-Lifecycle``, ``Deprecation``, ``Sunset``: what responses carry.
    header_values: tuple[tuple[str, str], ...] = field(init=False, repr=False, compare=False)
    #: ``links`` as one ``Link`` header value ("" when none).
    link: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Formatted once per verdict, not per response: a remembered decision carries its
        # verdict to every request like it under the same snapshot.
        values = []
        if self.status == PREVIEW:
            values.append(("API-Lifecycle", "preview"))
        if self.deprecated_at is not None:
            values.append(("Deprecation", deprecation_value(self.deprecated_at)))
        if self.sunset_at is not None:
            values.append(("Sunset", sunset_value(self.sunset_at)))
        object.__setattr__(self, "header_values", tuple(values))
        object.__setattr__(self, "link", ", ".join(self.links))


#: Nothing to enforce or announce: the verdict of every stable version (one shared object).
QUIET = Verdict()
#: A preview version with no deprecated endpoint in play.
PREVIEW_ONLY = Verdict(status=PREVIEW)


def verdict_for(
    number: VersionNumber,
    route: str | None,
    method: str,
    successor_link: SuccessorLink,
    now: datetime.datetime | None = None,
    *,
    rehearsals: bool = False,
) -> Verdict:
    """The verdict for ``method`` (HEAD already folded to GET) on ``route`` in ``number``.

    ``route`` None asks about the version only (a catch-all, a documentation page);
    ``successor_link`` says where a successor serves the same thing. Brownouts and policies
    concern API requests: they count only with ``rehearsals`` (the "what happens on…" page).
    """
    snapshot = get_snapshot()
    if number in snapshot.quiet:  # the stable head: one set lookup
        return QUIET
    moment = now or clock.now()
    return _decide(snapshot, number, route, method, successor_link, moment, rehearsals)


def still_holds(verdict: Verdict) -> bool:
    """Whether a verdict made earlier under the same snapshot holds now.

    Under one snapshot a verdict that is not ``gone`` changes only when the earliest sunset
    that applies to it passes (then the request answers 410), or, for a version with
    brownouts or policies, outside ``valid_from``..``valid_until``.
    """
    sunset, start, end = verdict.sunset_at, verdict.valid_from, verdict.valid_until
    if sunset is None and start is None and end is None:
        return True
    now = clock.now()
    return (
        (sunset is None or now < sunset)
        and (start is None or start <= now)
        and (end is None or now < end)
    )


def request_verdict(
    request: HttpRequest,
    number: VersionNumber,
    route: str | None,
    method: str,
    client: str | None = None,
    first_seen: FirstSeen | None = None,
) -> Verdict:
    """The verdict of an API request: the successor link points at the same resource.

    ``client`` is the request's client key (None: anonymous), for brownouts that target
    clients; ``first_seen`` says when a client was first seen, for the no-new-clients policy.
    """
    snapshot = get_snapshot()
    if number in snapshot.quiet:  # checked before building the link: the common case
        return QUIET
    link = functools.partial(successor_url, request, route, number)
    return _decide(snapshot, number, route, method, link, clock.now(), True, client, first_seen)


def successor_of(snapshot: LifecycleSnapshot, number: VersionNumber) -> VersionNumber | None:
    """The version to move to: the declared successor, else the newest stable, if newer."""
    successor = snapshot.version(number).successor or snapshot.newest_stable
    return successor if successor is not None and successor > number else None


def _decide(
    snapshot: LifecycleSnapshot,
    number: VersionNumber,
    route: str | None,
    method: str,
    successor_link: SuccessorLink,
    now: datetime.datetime,
    rehearsals: bool = False,
    client: str | None = None,
    first_seen: FirstSeen | None = None,
) -> Verdict:
    state = snapshot.version(number)
    if state.is_gone(now):
        problem = version_retired(number, snapshot, successor_link)
        return Verdict(state.status, gone=True, problem=problem)
    endpoint = snapshot.endpoint_deprecation(route, method, number) if route else None
    if endpoint is not None and endpoint.is_gone(now):
        return Verdict(state.status, gone=True, problem=endpoint_retired(number, endpoint))
    windows = snapshot.brownouts.get(number, ()) if rehearsals else ()
    rehearsed = rehearsals and (bool(windows) or state.has_policy)
    if not state.is_deprecated and endpoint is None and not rehearsed:
        return PREVIEW_ONLY if state.is_preview else QUIET
    starts = []
    sunsets = []
    links = []
    if state.is_deprecated:
        if state.deprecated_at:
            starts.append(state.deprecated_at)
        if state.sunset_at:
            sunsets.append(state.sunset_at)
        if state.documentation_url:
            links.append(link_value(state.documentation_url, "deprecation"))
    if endpoint is not None:
        starts.append(endpoint.deprecated_at)
        if endpoint.sunset_at:
            sunsets.append(endpoint.sunset_at)
        if endpoint.documentation_url:
            links.append(link_value(endpoint.documentation_url, "deprecation"))
    if state.is_deprecated and state.successor is not None:
        url = successor_link(state.successor)
        if url:
            links.append(link_value(url, "successor-version"))
    verdict = Verdict(
        state.status,
        deprecated_at=min(starts, default=None),
        sunset_at=min(sunsets, default=None),
        links=tuple(links),
    )
    if not rehearsed:
        return verdict
    successor = successor_of(snapshot, number)
    outcome = rehearse(state, windows, route, method, client, now, successor, first_seen)
    refusal = outcome.problem
    if refusal is not None:
        # The refusal carries what the response would have announced, and the successor.
        refusal.headers.update(verdict.header_values)
        refusal_links = list(links)
        url = successor_link(successor) if successor is not None else None
        successor_value = link_value(url, "successor-version") if url else None
        if successor_value and successor_value not in refusal_links:
            refusal_links.append(successor_value)
        _with_links(refusal, refusal_links)
    return dataclasses.replace(
        verdict,
        gone=refusal is not None,
        problem=refusal,
        valid_from=outcome.valid_from,
        valid_until=outcome.valid_until,
        per_client=outcome.per_client,
    )


def version_retired(
    number: VersionNumber, snapshot: LifecycleSnapshot, successor_link: SuccessorLink
) -> Problem:
    """The 410 ``version-retired`` problem of a gone version, for the API and its docs alike.

    It names the successor (the declared one, else the newest stable version, if newer) and
    links to it where ``successor_link`` says: the same resource in the API, or the
    successor's documentation page.
    """
    state = snapshot.version(number)
    successor = successor_of(snapshot, number)
    # Translated when made: a verdict is memoized per snapshot, so in the active language then.
    if state.status == RETIRED:
        detail = _("API version %(version)s is retired.") % {"version": number}
    else:
        detail = _("API version %(version)s is past its sunset.") % {"version": number}
    members: dict[str, Any] = {"version": str(number)}
    links = []
    if successor is not None:
        detail += " " + _("Use version %(version)s.") % {"version": successor}
        members["successor"] = str(successor)
        url = successor_link(successor)
        if url:
            links.append(link_value(url, "successor-version"))
    if state.documentation_url:
        members["documentation_url"] = state.documentation_url
        links.append(link_value(state.documentation_url, "deprecation"))
    return _with_links(VersionRetired(detail, **members), links)


def endpoint_retired(number: VersionNumber, endpoint: EndpointDeprecationState) -> Problem:
    """The 410 ``endpoint-retired`` problem of an operation past its sunset in ``number``."""
    members: dict[str, Any] = {"version": str(number)}
    links = []
    detail = _("This endpoint is retired in API version %(version)s.") % {"version": number}
    if endpoint.replacement:
        members["replacement"] = endpoint.replacement
        detail += " " + _("Use %(replacement)s instead.") % {"replacement": endpoint.replacement}
    if endpoint.documentation_url:
        members["documentation_url"] = endpoint.documentation_url
        links.append(link_value(endpoint.documentation_url, "deprecation"))
    return _with_links(EndpointRetired(detail, **members), links)


def _with_links(problem: Problem, links: list[str]) -> Problem:
    if links:
        problem.headers["Link"] = ", ".join(links)
    return problem


# --- header values: RFC 9745 Deprecation, RFC 8594 Sunset, RFC 8288 Link --------------------
# Pure functions of few distinct inputs (a handful of lifecycle dates and URLs), called when a
# verdict is made; a remembered verdict carries their values to every request like it.


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


# --- where the successor serves the same resource --------------------------------------------


def successor_url(
    request: HttpRequest, route: str | None, served: VersionNumber, successor: VersionNumber
) -> str | None:
    """Where the successor serves this resource: the same route in its major, else its root.

    RFC 5829's ``successor-version`` points at the successor version of *this resource*;
    when the successor lacks the route, the successor major's API root is the next best thing.
    """
    if successor.major == served.major:
        if route and app_settings.versions.endpoints.route_in_version(route, successor):
            return escape_uri_path(request.path)  # same URL, pinned with the version header
        # No endpoint at this path (a catch-all): the path would be a 404 there too.
        return _major_root(request, served.major, successor.major)
    match = getattr(request, "resolver_match", None)
    if (
        match is not None
        and route
        and app_settings.versions.endpoints.route_in_version(route, successor)
    ):
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

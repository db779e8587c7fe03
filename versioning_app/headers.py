"""Response headers of versioned requests, written from the request's decision: ``API-Version``,
``Vary``, a per-version ``Allow``, and the lifecycle headers (``Deprecation``, ``Sunset``,
``Link``, ``API-Lifecycle``). Nothing here decides anything: the versioning class did."""

from __future__ import annotations

import functools

from django.http import HttpRequest, HttpResponseBase

from versioning_app.conf import app_settings
from versioning_app.decision import Decision, decision_of, fold_method
from versioning_app.lifecycle.verdict import QUIET, Verdict


def add_version_headers(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    """Add ``API-Version`` (the served version) and ``Vary`` to a versioned request's response."""
    decision = decision_of(request)
    if decision is None:  # no versioned route handled the request
        return response
    header = app_settings.VERSION_HEADER
    # response.headers directly: HttpResponse's own get/__setitem__ only forward to it.
    headers = response.headers
    vary = vary_with(headers.get("Vary"), header)
    if vary is not None:
        headers["Vary"] = vary
    number = decision.number
    if number is not None:
        headers[header] = decision.version
        if app_settings.versions.endpoints.method_routes and "Allow" in headers:
            _restrict_allow(response, decision)
        verdict = decision.verdict
        if verdict is not QUIET and not verdict.gone:  # a gone request is its 410's business
            _add_lifecycle_headers(response, verdict)
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


def _restrict_allow(response: HttpResponseBase, decision: Decision) -> None:
    # DRF's Allow lists the view's methods; drop those the served version does not have.
    endpoints = app_settings.versions.endpoints
    route, number = decision.route, decision.number
    if route not in endpoints.method_routes or number is None:
        return
    methods = [method.strip() for method in response["Allow"].split(",")]
    response["Allow"] = ", ".join(
        method
        for method in methods
        if method == "OPTIONS" or endpoints.available(route, fold_method(method)[0], number)
    )


def _add_lifecycle_headers(response: HttpResponseBase, verdict: Verdict) -> None:
    # RFC 9745 Deprecation, RFC 8594 Sunset, RFC 8288 Link, and API-Lifecycle: preview; their
    # values were formatted when the verdict was made (it serves every request like this one).
    headers = response.headers
    for name, value in verdict.header_values:
        headers[name] = value
    link = verdict.link
    if link:
        existing = headers.get("Link")
        headers["Link"] = f"{existing}, {link}" if existing else link

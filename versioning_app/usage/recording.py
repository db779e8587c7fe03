"""Usage on the request path: describe a finished request, count it in process (no database)."""

from __future__ import annotations

import logging
from functools import lru_cache

from django.http import HttpRequest

# Kept importable here: projects name it in USAGE_CLIENT_RESOLVER.
from versioning_app.clients.resolution import default_client
from versioning_app.conf import app_settings
from versioning_app.decision import decision_of
from versioning_app.usage.buffer import (
    ANONYMOUS,
    MAX_ROUTE_LENGTH,
    UNIDENTIFIED,
    Descriptor,
    counter,
)
from versioning_app.usage.worker import worker
from versioning_app.versions import VersionNumber

logger = logging.getLogger("versioning_app.usage")

__all__ = ["UNIDENTIFIED", "default_client", "describe", "record"]


def describe(request: HttpRequest) -> Descriptor | None:
    """The descriptor of a request that reached an endpoint of a served version, else None."""
    decision = decision_of(request)
    # Not counted: no versioned route, an unknown major, a catch-all, a rejected version header.
    if decision is None or not decision.counted:
        return None
    number, route = decision.number, decision.route
    assert number is not None and route is not None  # what "counted" means
    # The client was resolved once, by the versioning class: no resolver (and no query for a
    # lazy user) after the response.
    client = decision.client or ANONYMOUS
    return Descriptor(*_endpoint(number, route, decision.client_method), client)


@lru_cache(maxsize=1024)
def _endpoint(version: VersionNumber, route: str, method: str) -> tuple[str, str, str]:
    # (version, route, method) as stored; the same few per process, so computed once each.
    # The method is already folded (unknown ones are OTHER) by the request's decision.
    return (str(version), route[:MAX_ROUTE_LENGTH], method)


def record(request: HttpRequest) -> None:
    """Count a finished request if it reached a served version; never raises."""
    try:
        if not app_settings.USAGE_ENABLED:
            return
        descriptor = describe(request)
        if descriptor is None or not counter.count(descriptor):
            return
        # First request of a new slot in this process: the last slot's counts must travel.
        if not worker.ensure_started():
            counter.push(include_open=False)
    except Exception:  # usage counting must never break the API
        logger.warning("Could not count an API request.", exc_info=True)

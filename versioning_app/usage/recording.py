"""Usage on the request path: describe a finished request, count it in process (no database)."""

from __future__ import annotations

import logging
from functools import lru_cache

from django.http import HttpRequest

from versioning_app.conf import app_settings
from versioning_app.decision import decision_of
from versioning_app.usage.buffer import (
    ANONYMOUS,
    MAX_CLIENT_LENGTH,
    MAX_ROUTE_LENGTH,
    Descriptor,
    counter,
    hash_client,
)
from versioning_app.usage.worker import worker
from versioning_app.versions import VersionNumber

logger = logging.getLogger("versioning_app.usage")


def default_client(request: HttpRequest) -> str | None:
    """The authenticated user, else the token (both as keyed hashes); ``None`` is anonymous."""
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False) and user.pk is not None:
        return hash_client("user", user.pk)
    # DRF copies the authenticator's ``auth`` onto the Django request; an API key or token
    # without a user is the client itself.
    auth = getattr(request, "auth", None)
    if auth is None:
        return None
    key = auth if isinstance(auth, str) else getattr(auth, "key", None) or getattr(auth, "pk", None)
    return hash_client("token", key) if key else None


#: The client of a request whose resolver failed (a session that could not be loaded while
#: the database was down, say): the request is still counted.
UNIDENTIFIED = "unidentified"


def resolve_client(request: HttpRequest) -> str:
    """The client as stored: the resolver's answer, hashed when too long, or ``anonymous``.

    A resolver that raises names the client ``unidentified``: the request is counted anyway.
    """
    try:
        client = app_settings.usage_client_resolver(request)
    except Exception:
        logger.warning("Could not identify the client of an API request.", exc_info=True)
        return UNIDENTIFIED
    if not client:
        return ANONYMOUS
    client = str(client)
    if len(client) > MAX_CLIENT_LENGTH or not client.isprintable():
        return hash_client("client", client)
    return client


def describe(request: HttpRequest) -> Descriptor | None:
    """The descriptor of a request that reached an endpoint of a served version, else None."""
    decision = decision_of(request)
    # Not counted: no versioned route, an unknown major, a catch-all, a rejected version header.
    if decision is None or not decision.counted:
        return None
    number, route = decision.number, decision.route
    assert number is not None and route is not None  # what "counted" means
    return Descriptor(*_endpoint(number, route, decision.client_method), resolve_client(request))


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

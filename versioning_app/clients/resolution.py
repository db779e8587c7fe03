"""Who a request's client is: resolved once per request, by the versioning class.

The configured resolver (``USAGE_CLIENT_RESOLVER``) names the client; the answer is made fit for
storage here (hashed when too long or not printable). ``APIVersioning.determine_version`` calls
:func:`client_of` once and puts the answer on the request's decision, so usage and pins read
the same client and nothing resolves it again after the response.
"""

from __future__ import annotations

import logging
from typing import Any

from rest_framework.exceptions import APIException

from versioning_app.conf import app_settings
from versioning_app.usage.buffer import ANONYMOUS, MAX_CLIENT_LENGTH, UNIDENTIFIED, hash_client

logger = logging.getLogger("versioning_app.usage")


def default_client(request: Any) -> str | None:
    """The authenticated user, else the token (both as keyed hashes); ``None`` is anonymous."""
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False) and user.pk is not None:
        return hash_client("user", user.pk)
    # DRF's request carries the authenticator's ``auth``: an API key or token without a user
    # is the client itself.
    auth = getattr(request, "auth", None)
    if auth is None:
        return None
    key = auth if isinstance(auth, str) else getattr(auth, "key", None) or getattr(auth, "pk", None)
    return hash_client("token", key) if key else None


def resolve_client(request: Any) -> str:
    """The client as stored: the resolver's answer, hashed when too long, or ``anonymous``."""
    client = app_settings.usage_client_resolver(request)
    if not client:
        return ANONYMOUS
    client = str(client)
    if len(client) > MAX_CLIENT_LENGTH or not client.isprintable():
        return hash_client("client", client)
    return client


def client_of(request: Any) -> str | None:
    """The request's client key; None if anonymous; ``UNIDENTIFIED`` if the resolver failed.

    ``request`` is DRF's: reading its ``user`` authenticates, which DRF would do a few lines
    later anyway. An authentication failure propagates (DRF answers 401/403 with the decision
    already stored, so the version headers are there); any other error of the resolver counts
    the request as unidentified (counted, but no client row, pin or per-client verdict).
    """
    try:
        client = resolve_client(request)
    except APIException:
        raise
    except Exception:
        logger.warning("Could not identify the client of an API request.", exc_info=True)
        return UNIDENTIFIED
    return None if client == ANONYMOUS else client

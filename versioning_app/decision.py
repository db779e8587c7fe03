"""One request's versioning decision, made once and read by everything after it.

``APIVersioning.determine_version`` (or a routing catch-all) decides which version serves a
request, how it was chosen, and what the lifecycle says about it, and stores the
:class:`Decision` on the Django request as ``request.api_decision``. The response headers,
the ``Allow`` restriction and usage counting read that object: nothing after it parses the
version header again or decides the lifecycle again. A request that no versioned route handled
has no ``api_decision`` attribute.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from django.http import HttpRequest

from versioning_app.changes import HTTP_METHODS, OTHER_METHOD
from versioning_app.errors import Problem
from versioning_app.lifecycle.verdict import QUIET, Verdict
from versioning_app.versions import VersionNumber

#: The one attribute of the Django request that carries the decision.
ATTRIBUTE = "api_decision"


class ChosenBy(enum.Enum):
    """How the served version was chosen."""

    #: The URL's major, served at its newest minor (no header, or a rejected one).
    URL = "url"
    #: The version header pinned a minor of the URL's major.
    HEADER = "header"
    #: No version header; the client's stored pin for the URL's major (``clients`` wing).
    PIN = "pin"


@dataclass(frozen=True, slots=True)
class Decision:
    """What a versioned request is served at, and what its lifecycle says; immutable."""

    #: The version served; None when the URL names a major the API does not have.
    number: VersionNumber | None
    chosen_by: ChosenBy
    #: The route name the URL resolved to; None for the catch-alls (no endpoint there).
    route: str | None
    #: The method whose endpoint is served: HEAD is GET, an unknown method is ``OTHER``.
    method: str
    #: The method as the client sent it, ``OTHER`` when not a known one (what usage stores).
    client_method: str
    #: The lifecycle verdict for this version, route and method.
    verdict: Verdict = QUIET
    #: The 400 problem of a rejected version header (a catch-all ignores it and answers 404).
    rejection: Problem | None = None
    #: The client as usage stores it, resolved once per request; None: anonymous (or unknown).
    client: str | None = None
    #: ``number`` as ``request.version`` and the ``API-Version`` header carry it ("" if None).
    version: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Formatted once per decision, not per use: a remembered decision serves many requests.
        object.__setattr__(self, "version", "" if self.number is None else str(self.number))

    def with_client(self, client: str | None, chosen_by: ChosenBy | None = None) -> Decision:
        """This decision for one client (and how it was chosen): remembered decisions are
        shared by every client, so the per-client one is a cheap copy made only when needed."""
        return Decision(
            self.number,
            self.chosen_by if chosen_by is None else chosen_by,
            self.route,
            self.method,
            self.client_method,
            self.verdict,
            self.rejection,
            client,
        )

    @property
    def header_rejected(self) -> bool:
        """Whether the version header named no minor of the URL's major (nothing was served)."""
        return self.rejection is not None

    @property
    def counted(self) -> bool:
        """Whether usage counts the request: a version served at a named endpoint."""
        return self.number is not None and bool(self.route) and not self.header_rejected


# Every known method and how it folds; anything else is OTHER, so nothing keyed by the method
# (the endpoint index, usage rows) grows with methods a client invents.
_FOLDED: dict[str | None, tuple[str, str]] = {
    method: ("GET" if method == "HEAD" else method, method) for method in HTTP_METHODS
}
_OTHER = (OTHER_METHOD, OTHER_METHOD)


def fold_method(method: str | None) -> tuple[str, str]:
    """``(method served, method as counted)``: HEAD serves GET; unknown methods are ``OTHER``."""
    return _FOLDED.get(method, _OTHER)


def store(request: HttpRequest, decision: Decision) -> None:
    """Store the request's decision (once: only the versioning class and catch-alls decide)."""
    request.api_decision = decision  # type: ignore[attr-defined]


def decision_of(request: HttpRequest | None) -> Decision | None:
    """The request's decision, or None if no versioned route handled it."""
    return getattr(request, ATTRIBUTE, None)

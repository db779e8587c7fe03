"""What happens on a given date: each declared version's status, headers and answer.

The admin's "what happens on…" page renders :func:`outlook`; it asks the one verdict place
(``verdict.py``) at that moment, with brownouts and policies, exactly as a request would be
decided then under today's lifecycle rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from versioning_app.conf import app_settings
from versioning_app.lifecycle.brownouts import BrownoutState
from versioning_app.lifecycle.snapshot import DEPRECATED, RETIRED, get_snapshot
from versioning_app.lifecycle.verdict import Verdict, successor_of, verdict_for
from versioning_app.versions import VersionNumber


@dataclass(frozen=True)
class Outlook:
    """One version on one date."""

    version: VersionNumber
    #: The stored status, as it stands on that date (a deprecated version past its sunset is
    #: ``retired``).
    status: str
    #: The headers a served response carries, or the refusal's own headers.
    headers: tuple[tuple[str, str], ...]
    #: What a read (GET) gets: ``"200"`` or ``"410 brownout"``, say.
    read: str
    #: What a write (POST, PUT, PATCH, DELETE) gets.
    write: str
    successor: VersionNumber | None
    #: The brownout under way on that date, if any (the whole version or one endpoint).
    brownout: BrownoutState | None
    #: The next window after that date, if any.
    next_brownout: BrownoutState | None
    #: Answers that depend on the client (a share, listed clients, new clients closed).
    per_client: str


def _answer(verdict: Verdict) -> str:
    problem = verdict.problem
    if problem is None:
        return "200"
    return f"{problem.status_code} {problem.slug}"


def _headers(verdict: Verdict) -> tuple[tuple[str, str], ...]:
    if verdict.problem is not None:
        return tuple(sorted(verdict.problem.headers.items()))
    values = list(verdict.header_values)
    if verdict.link:
        values.append(("Link", verdict.link))
    return tuple(values)


def outlook(moment: datetime.datetime) -> list[Outlook]:
    """Every declared version at ``moment``: newest first, as people read a version list."""
    snapshot = get_snapshot()
    found = []
    for version in reversed(list(app_settings.versions)):
        number = version.number
        state = snapshot.version(number)
        # No request to point at: the successor-version link of a request names the same
        # resource in the successor, which the page shows as the successor column.
        read = verdict_for(number, None, "GET", _no_link, moment, rehearsals=True)
        write = verdict_for(number, None, "POST", _no_link, moment, rehearsals=True)
        status = state.status
        if status == DEPRECATED and state.is_gone(moment):
            status = RETIRED
        windows = snapshot.brownouts.get(number, ())
        current = [w for w in windows if w.is_active(moment)]
        upcoming = [w for w in windows if w.starts_at > moment]
        per_client = []
        for window in current:
            if window.clients:
                per_client.append(f"410 brownout for {len(window.clients)} listed client(s)")
            elif window.share is not None:
                per_client.append(f"410 brownout for {window.share} % of clients")
        closed = state.new_clients_until
        if closed is not None and closed <= moment and not read.gone:
            per_client.append(
                f"400 new-clients-closed for clients first seen after {closed:%Y-%m-%d %H:%M} UTC"
            )
        found.append(
            Outlook(
                version=number,
                status=status,
                headers=_headers(read),
                read=_answer(read),
                write=_answer(write),
                successor=successor_of(snapshot, number),
                brownout=current[0] if current else None,
                next_brownout=min(upcoming, key=lambda w: w.starts_at, default=None),
                per_client="; ".join(per_client),
            )
        )
    return found


def _no_link(successor: VersionNumber) -> None:
    return None

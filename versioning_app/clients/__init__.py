"""The clients wing: who calls the API, the version each one is pinned to, what an upgrade changes.

``resolution`` names a request's client once (the versioning class puts it on the decision),
``snapshot`` serves each process the clients' first requests and pins without a query in steady
state, ``sync`` creates the rows from the usage flush, ``pins`` upgrades and rolls back,
``report`` writes the upgrade report, ``notify`` e-mails the clients of a deprecated version.

    from versioning_app import clients

    clients.first_seen("user:0853d8...")   # datetime of the client's first request, or None
    clients.pinned("user:0853d8...", 1)     # the pinned minor of major 1, or None
"""

from __future__ import annotations

from versioning_app.clients.snapshot import first_seen, get_clients, pinned

__all__ = ["first_seen", "get_clients", "pinned"]

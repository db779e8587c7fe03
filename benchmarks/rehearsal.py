"""The head detail pair with a sunset rehearsal under way elsewhere (issue 16 item 7).

One future brownout is scheduled (1.1, in 2099) and policies are set on other versions (1.0
read-only and closed to new clients), through the public functions. Head (3.0, stable) has
none of them, so it stays among the snapshot's quiet versions: the goal is head's, 1.03x.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.test import Client

from benchmarks.pair import Pair

BROWNOUT_AT = datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC)
CLOSED_AT = datetime.datetime(2098, 1, 1, tzinfo=datetime.UTC)


def rehearsal_scheduled() -> None:
    """A stage after ``stable_head``: one future brownout, policies on 1.0 (idempotent)."""
    import versioning_app  # the public functions
    from versioning_app.models import Brownout

    if not Brownout.objects.filter(version__version="1.1", starts_at=BROWNOUT_AT).exists():
        versioning_app.schedule_brownout("1.1", starts_at=BROWNOUT_AT, minutes=60)
    versioning_app.set_policies("1.0", read_only=True, new_clients_until=CLOSED_AT)


def rehearsal_pairs(
    client: Client, plain_detail: str, ours_detail: str, api_pair: Any
) -> list[Pair]:
    """Head detail, with the rehearsal scheduled on other versions."""
    return [
        api_pair(
            client,
            "head 3.0: detail, brownout and policies on other versions",
            plain_detail,
            ours_detail,
            1.03,
            rehearsal_scheduled,
        )
    ]

"""The pinned-client pair: head detail for an authenticated client pinned to 3.0, pinning on.

Both sides log the same user in (one session lookup each); ours also resolves the client, finds
its pin in the per-process clients view and serves the pinned version (no header sent).
"""

from __future__ import annotations

from django.test import Client

from benchmarks.pair import Pair


def pinned_head_pair(plain_detail: str, ours_detail: str) -> Pair:
    """ "head 3.0: detail, pinned client": the pin resolved on every request, no query."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from benchmarks.scenarios import _api_pair, stable_head
    from versioning_app.clients.models import Client as ApiClient
    from versioning_app.clients.models import Pin
    from versioning_app.usage.buffer import hash_client

    user, _ = get_user_model().objects.get_or_create(username="pinned-bench")
    now = timezone.now()
    client_row, _ = ApiClient.objects.get_or_create(
        key=hash_client("user", user.pk),
        defaults={"label": user.username, "first_seen": now, "last_seen": now},
    )
    Pin.objects.update_or_create(
        client=client_row, major=3, defaults={"version": "3.0", "changed_at": now}
    )
    client = Client()
    client.force_login(user)
    return _api_pair(
        client, "head 3.0: detail, pinned client", plain_detail, ours_detail, 1.03, stable_head
    )

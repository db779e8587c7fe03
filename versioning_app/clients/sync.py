"""Client rows and first pins, made by the usage flush (never on the request path).

The flush calls :func:`clients_seen` inside the transaction that adds a slot's counts, so a
slot's clients are written exactly when its counts are, once. Rows are created with the
unique key (a concurrent flusher's conflict is ignored), ``last_seen`` only moves forward, and
a first pin is created only where none exists (its history row only by the flusher whose
insert won).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from versioning_app.clients.labels import noted_labels
from versioning_app.clients.models import Client, Pin, PinChange
from versioning_app.conf import app_settings
from versioning_app.lifecycle.snapshot import STABLE, get_snapshot
from versioning_app.usage.buffer import NOT_CLIENTS, Descriptor
from versioning_app.versions import VersionNumber

_CHUNK = 500


def first_pin(major: int) -> VersionNumber | None:
    """The minor a client's first request to ``major`` pins it to: the newest stable one."""
    snapshot = get_snapshot()
    minors = app_settings.versions.majors.get(major, ())
    stable = [
        version.number for version in minors if snapshot.version(version.number).status == STABLE
    ]
    return max(stable) if stable else None


def clients_seen(slots: Iterable[tuple[datetime.datetime, Mapping[Descriptor, int]]]) -> int:
    """Create or update the rows of the clients in these slots' counts; returns how many."""
    first: dict[str, datetime.datetime] = {}
    last: dict[str, datetime.datetime] = {}
    majors: dict[str, set[int]] = {}
    for start, counts in slots:
        for descriptor in counts:
            client = descriptor.client
            if client in NOT_CLIENTS:
                continue
            first[client] = min(first.get(client, start), start)
            last[client] = max(last.get(client, start), start)
            try:
                majors.setdefault(client, set()).add(VersionNumber.parse(descriptor.version).major)
            except ValueError:
                continue
    if not first:
        return 0
    keys = sorted(first)
    labels = noted_labels(keys) if app_settings.CLIENTS_STORE_LABELS else {}
    Client.objects.bulk_create(
        [
            Client(
                key=key,
                label=labels.get(key, ("", ""))[0],
                email=labels.get(key, ("", ""))[1],
                first_seen=first[key],
                last_seen=last[key],
            )
            for key in keys
        ],
        ignore_conflicts=True,
        batch_size=_CHUNK,
    )
    ids: dict[str, int] = {}
    for offset in range(0, len(keys), _CHUNK):
        chunk = keys[offset : offset + _CHUNK]
        ids.update(Client.objects.filter(key__in=chunk).values_list("key", "pk"))
    # A row deleted (in the admin) since the insert above is not made again: it comes back
    # with the client's next request.
    keys = [key for key in keys if key in ids]
    for key in keys:
        # One row each: clients are few per slot, and last_seen only moves forward.
        Client.objects.filter(pk=ids[key]).update(last_seen=Greatest(F("last_seen"), last[key]))
    for key, (label, email) in labels.items():
        if key in ids:  # a label noted after the row was made fills an empty one
            Client.objects.filter(pk=ids[key], label="").update(label=label, email=email)
    if app_settings.CLIENTS_PINNING:
        _first_pins({ids[key]: majors.get(key, set()) for key in keys}, timezone.now())
    return len(keys)


def _first_pins(majors: Mapping[int, set[int]], when: datetime.datetime) -> None:
    existing = set(Pin.objects.filter(client_id__in=list(majors)).values_list("client_id", "major"))
    for client_id in sorted(majors):
        for major in sorted(majors[client_id]):
            if (client_id, major) in existing:
                continue
            version = first_pin(major)
            if version is None:
                continue
            try:
                with transaction.atomic():
                    Pin.objects.create(
                        client_id=client_id, major=major, version=str(version), changed_at=when
                    )
            except IntegrityError:
                continue  # another flusher pinned it first
            PinChange.objects.create(
                client_id=client_id,
                major=major,
                kind=PinChange.Kind.CREATED,
                to_version=str(version),
                at=when,
                by="first request",
            )

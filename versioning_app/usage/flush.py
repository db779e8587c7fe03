"""Usage flushing: closed buffer slots from the cache into daily rows, exactly once.

Exactly-once is decided by the database, not by the cache: each slot carries a random batch
id, and the flush inserts a ``UsageFlush`` row with that (unique) id in the same transaction
that adds the slot's counts. A second flusher of the same slot fails on the unique id and adds
nothing; the cache keys are deleted only after the commit, so a crash in between leaves a slot
that the next flush recognises as done.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import BaseCache
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest

from versioning_app.clients.sync import clients_seen
from versioning_app.conf import app_settings
from versioning_app.models import UsageFlush, UsageRecord
from versioning_app.usage.buffer import (
    BUFFER_TIMEOUT,
    Descriptor,
    counter,
    first_slot_key,
    slot_prefix,
    usage_cache,
)
from versioning_app.usage.eviction import evictions

logger = logging.getLogger("versioning_app.usage")

_CHUNK = 100  # rows per query: five parameters each stays under every backend's limit
_ATTEMPTS = 3  # a deadlock or a locked SQLite database is retried


@dataclass
class SlotBatch:
    """The counts of one buffer slot, read from the cache."""

    slot: int
    slot_seconds: int
    batch: str
    counts: dict[Descriptor, int]
    keys: list[str]

    @property
    def start(self) -> datetime.datetime:
        """When the slot began (UTC)."""
        return datetime.datetime.fromtimestamp(self.slot * self.slot_seconds, datetime.UTC)


@dataclass
class FlushResult:
    """What one flush did."""

    slots: int = 0
    requests: int = 0
    rows: int = 0
    skipped: int = 0  # slots another flusher had written already
    lost: int = 0  # entries the cache lost before this flush (evicted), as far as it can see
    pruned: int = 0
    batches: list[str] = field(default_factory=list)
    evicted: int | None = None  # keys the cache server evicted since the last look (Redis)


def _closed_slots(now: float, slot_seconds: int, include_open: bool, first: int | None) -> range:
    grace = app_settings.USAGE_FLUSH_GRACE_SECONDS
    # Without the "first" marker (never set, or evicted), look back as far as counts live.
    oldest = int(now - BUFFER_TIMEOUT) // slot_seconds
    first = oldest if first is None else max(first, oldest)
    # A slot is closed once it has ended and the grace period after it has passed too.
    last = int(now) // slot_seconds if include_open else int(now - grace) // slot_seconds - 1
    return range(first, last + 1)


def _chunks(items: list[str], size: int = 1000) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def read_slots(
    cache: BaseCache,
    now: float,
    slot_seconds: int,
    *,
    include_open: bool = False,
    report: FlushResult | None = None,
) -> tuple[list[SlotBatch], range]:
    """The slots in the buffer that may be flushed at ``now`` with their counts, and the range.

    Every loss it can see (an evicted entry, id or counter) is logged with its numbers and
    added to ``report.lost``.
    """
    slots = _closed_slots(now, slot_seconds, include_open, cache.get(first_slot_key(slot_seconds)))
    sizes: dict[str, int] = {}
    for chunk in _chunks([f"{slot_prefix(slot_seconds, slot)}:n" for slot in slots]):
        sizes.update(cache.get_many(chunk))
    _counters_lost(cache, [slot_prefix(slot_seconds, slot) for slot in slots], sizes)
    batches = []
    for slot in slots:
        prefix = slot_prefix(slot_seconds, slot)
        size = sizes.get(f"{prefix}:n")
        if not size:
            continue
        keys = [f"{prefix}:n", f"{prefix}:id"]
        entry_keys = [f"{prefix}:i:{position}" for position in range(1, size + 1)]
        counts: dict[Descriptor, int] = defaultdict(int)
        found = 0
        for chunk in _chunks(entry_keys):
            for *descriptor, requests in cache.get_many(chunk).values():
                counts[Descriptor(*descriptor)] += requests
                found += 1
        batch = cache.get(f"{prefix}:id")
        requests = sum(counts.values())
        if batch is None:
            # Without its id the slot cannot be flushed exactly once: everything in it is lost.
            logger.warning(
                "Usage slot %s lost its id (cache eviction?): all %d entries (%d requests "
                "read, %d entries already gone) are dropped.",
                prefix,
                size,
                requests,
                size - found,
            )
            if report is not None:
                report.lost += size
            continue
        if found < size:
            logger.warning(
                "Usage slot %s lost %d of %d entries (cache eviction?); %d requests kept.",
                prefix,
                size - found,
                size,
                requests,
            )
            if report is not None:
                report.lost += size - found
        batches.append(SlotBatch(slot, slot_seconds, batch, dict(counts), keys + entry_keys))
    return batches, slots


def _counters_lost(cache: BaseCache, prefixes: list[str], sizes: dict[str, int]) -> None:
    # A slot whose id is there but whose counter is not lost its counter (evicted): its
    # entries cannot be listed, so it is never flushed. Said, not silent.
    ids: dict[str, Any] = {}
    for chunk in _chunks([f"{prefix}:id" for prefix in prefixes if f"{prefix}:n" not in sizes]):
        ids.update(cache.get_many(chunk))
    for key in ids:
        logger.warning(
            "Usage slot %s lost its entry counter (cache eviction?): its entries cannot be read.",
            key.removesuffix(":id"),
        )


def _claim(batches: Iterable[SlotBatch]) -> tuple[list[SlotBatch], list[SlotBatch]]:
    """Insert each slot's flush row; the ones already there were flushed by someone else."""
    claimed, skipped = [], []
    for batch in batches:
        try:
            with transaction.atomic():
                UsageFlush.objects.create(
                    batch=batch.batch,
                    slot_start=batch.start,
                    slot_seconds=batch.slot_seconds,
                    requests=sum(batch.counts.values()),
                )
        except IntegrityError:
            skipped.append(batch)
        else:
            claimed.append(batch)
    return claimed, skipped


def _key_q(keys: list[tuple[datetime.date, Descriptor]]) -> Q:
    query = Q()
    for day, d in keys:
        query |= Q(day=day, version=d.version, route=d.route, method=d.method, client=d.client)
    return query


def _add_counts(batches: list[SlotBatch]) -> int:
    """Add the batches' counts to the daily rows; returns the number of rows touched."""
    totals: dict[tuple[datetime.date, Descriptor], int] = defaultdict(int)
    seen: dict[tuple[datetime.date, Descriptor], datetime.datetime] = {}
    for batch in batches:
        day = batch.start.date()
        for descriptor, count in batch.counts.items():
            totals[day, descriptor] += count
            seen[day, descriptor] = max(seen.get((day, descriptor), batch.start), batch.start)
    keys = sorted(totals)
    if not keys:
        return 0
    # Rows first (a concurrent flusher may create the same ones: the conflict is ignored),
    # in a fixed order, so that two flushers never wait on each other in a cycle.
    UsageRecord.objects.bulk_create(
        [UsageRecord(day=day, **d._asdict(), count=0, last_seen=seen[day, d]) for day, d in keys],
        ignore_conflicts=True,
        batch_size=_CHUNK,
    )
    pks: dict[tuple[datetime.date, Descriptor], int] = {}
    for start in range(0, len(keys), _CHUNK):
        rows = UsageRecord.objects.filter(_key_q(keys[start : start + _CHUNK])).values_list(
            "pk", "day", "version", "route", "method", "client"
        )
        for pk, day, *fields in rows:
            pks[day, Descriptor(*fields)] = pk
    ordered = sorted(pks.values())
    # Lock in primary-key order across chunks: concurrent flushers queue instead of deadlocking.
    for start in range(0, len(ordered), _CHUNK):
        list(
            UsageRecord.objects.select_for_update()
            .filter(pk__in=ordered[start : start + _CHUNK])
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    groups: dict[tuple[int, datetime.datetime], list[int]] = defaultdict(list)
    for key, pk in pks.items():
        groups[totals[key], seen[key]].append(pk)
    for (increment, last_seen), group in groups.items():
        for start in range(0, len(group), _CHUNK):
            UsageRecord.objects.filter(pk__in=group[start : start + _CHUNK]).update(
                count=F("count") + increment, last_seen=Greatest(F("last_seen"), last_seen)
            )
    return len(pks)


def _prune(now: float) -> int:
    today = datetime.datetime.fromtimestamp(now, datetime.UTC).date()
    pruned = 0
    days = app_settings.USAGE_RETENTION_DAYS
    if days is not None:
        cutoff = today - datetime.timedelta(days=days)
        pruned = UsageRecord.objects.filter(day__lt=cutoff).delete()[0]
    # A flush row must outlive its slot's cache keys, or a late second flush would count twice.
    horizon = datetime.datetime.fromtimestamp(now - 2 * BUFFER_TIMEOUT, datetime.UTC)
    UsageFlush.objects.filter(slot_start__lt=horizon).delete()
    return pruned


def flush(now: float | None = None, *, include_open: bool = False) -> FlushResult:
    """Write the closed slots of the buffer to the database, exactly once; safe to run anywhere.

    ``include_open`` also takes the current slot: only right for a per-process cache whose
    process is exiting (no other process can still write to it).
    """
    now = time.time() if now is None else now
    cache = usage_cache()
    counter.push()  # this process's own counts first, dated by the real clock
    slot_seconds = app_settings.USAGE_SLOT_SECONDS
    result = FlushResult()
    batches, slots = read_slots(cache, now, slot_seconds, include_open=include_open, report=result)
    result.evicted = evictions(cache)
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            with transaction.atomic():
                claimed, skipped = _claim(batches)
                result.rows = _add_counts(claimed)
                # The slots' clients (rows, last seen, first pins) in the same transaction.
                clients_seen((batch.start, batch.counts) for batch in claimed)
            break
        except OperationalError:
            if attempt == _ATTEMPTS:
                raise
            time.sleep(0.05 * attempt)
    result.slots = len(claimed)
    result.skipped = len(skipped)
    result.requests = sum(sum(batch.counts.values()) for batch in claimed)
    result.batches = [batch.batch for batch in claimed]
    # Only now, with the flush rows committed, may the counts leave the cache.
    for batch in [*claimed, *skipped]:
        cache.delete_many(batch.keys)
    if slots:
        # Every slot up to here is flushed (or lost): the next flush starts after it.
        cache.set(first_slot_key(slot_seconds), slots[-1] + 1, None)
    result.pruned = _prune(now)
    return result

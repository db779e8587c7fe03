"""What the benchmark compares: a pair of callables doing the same work, and its targets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Pair:
    """Two ways of doing the same work: the baseline (plain DRF) and the candidate (ours)."""

    name: str
    baseline: Callable[[], object]
    candidate: Callable[[], object]
    target: float | None = None  # the ratio the issue tracker asks for, if any
    target_us: float | None = None  # an absolute bound on the candidate, if the tracker sets one
    calls: int | None = None  # calls per side per round, for pairs too slow for --calls

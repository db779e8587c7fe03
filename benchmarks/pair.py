"""What the benchmark compares: a pair of callables doing the same work, and its targets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


class BaselineMismatch(AssertionError):
    """The two sides of a pair do not do the same work: timing them would mean nothing."""


@dataclass(frozen=True)
class Pair:
    """Two ways of doing the same work: the baseline (plain DRF) and the candidate (ours)."""

    name: str
    baseline: Callable[[], object]
    candidate: Callable[[], object]
    target: float | None = None  # the ratio the project's goals allow, if any
    target_us: float | None = None  # an absolute bound on the candidate, if the goals set one
    calls: int | None = None  # calls per side per round, for pairs too slow for --calls
    # Brings the lifecycle to the state this pair measures (through the lifecycle functions).
    setup: Callable[[], None] | None = None
    # Raises BaselineMismatch unless both sides do the same work; run before any timing.
    check: Callable[[], None] | None = None

    def passes(self, ratio: float, candidate_us: float) -> bool | None:
        """Whether the measured figures meet the pair's goal; None when it has none."""
        if self.target_us is not None:
            return candidate_us <= self.target_us
        if self.target is not None:
            return ratio <= self.target
        return None

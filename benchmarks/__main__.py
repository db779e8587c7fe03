"""``python -m benchmarks``: plain DRF against versioning_app, in one process, interleaved rounds.

Each pair runs a baseline and a candidate request alternately, round after round, so that
drift in machine load affects both alike. Reported: the median microseconds per request of
each side, and the median of the per-round ratios (candidate / baseline).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable

from benchmarks.pair import Pair

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")


def _timed_ns(func: Callable[[], object]) -> int:
    start = time.perf_counter_ns()
    func()
    return time.perf_counter_ns() - start


def _round(pair: Pair, calls: int) -> tuple[float, float]:
    """Mean microseconds per call of each side, the sides alternating call by call.

    Alternating single calls (rather than batches) spreads garbage-collection pauses over
    both sides by what each allocates, instead of charging whichever batch a pause hits.
    """
    base_ns = cand_ns = 0
    for index in range(calls):
        if index % 2:
            cand_ns += _timed_ns(pair.candidate)
            base_ns += _timed_ns(pair.baseline)
        else:
            base_ns += _timed_ns(pair.baseline)
            cand_ns += _timed_ns(pair.candidate)
    return base_ns / calls / 1000, cand_ns / calls / 1000


def measure(pair: Pair, rounds: int, calls: int) -> dict[str, float | str | None]:
    """Run ``pair`` interleaved and return medians and the median per-round ratio."""
    calls = pair.calls or calls
    for _ in range(calls):  # warm caches, imports and per-version plans on both sides
        pair.baseline()
        pair.candidate()
    base_times: list[float] = []
    cand_times: list[float] = []
    ratios: list[float] = []
    for _ in range(rounds):
        base, cand = _round(pair, calls)
        base_times.append(base)
        cand_times.append(cand)
        ratios.append(cand / base)
    return {
        "name": pair.name,
        "baseline_us": statistics.median(base_times),
        "candidate_us": statistics.median(cand_times),
        "ratio": statistics.median(ratios),
        "target": pair.target,
        "target_us": pair.target_us,
    }


def main(argv: list[str] | None = None) -> int:
    """Set up the database, run every pair, print a table (or JSON)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--rounds", type=int, default=30, help="interleaved rounds (default 30)")
    parser.add_argument(
        "--calls", type=int, default=20, help="calls per side per round (default 20)"
    )
    parser.add_argument("--only", default="", help="run only pairs whose name contains this")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from benchmarks.scenarios import build_pairs, prepare

    prepare()
    results = [
        measure(pair, args.rounds, args.calls) for pair in build_pairs() if args.only in pair.name
    ]
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    import rest_framework

    print(
        f"Python {sys.version.split()[0]}, Django {django.get_version()}, "
        f"DRF {rest_framework.VERSION}; {args.rounds} rounds x {args.calls} calls per side"
    )
    print(f"{'pair':<44} {'plain us':>10} {'ours us':>10} {'ratio':>7} {'target':>9}")
    for row in results:
        target = f"{row['target']:.2f}x" if row["target"] else "-"
        if row["target_us"]:
            target = f"<={row['target_us']:.0f}us"
        print(
            f"{row['name']:<44} {row['baseline_us']:>10.1f} {row['candidate_us']:>10.1f} "
            f"{row['ratio']:>6.3f}x {target:>9}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

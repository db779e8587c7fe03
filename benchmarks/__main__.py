"""``python -m benchmarks``: plain DRF against versioning_app, in one process, interleaved rounds.

Each pair first checks that both sides do the same work (byte-identical bodies, equal query
counts; the same operations for schema generation) and stops with an error if not. Then it runs
a baseline and a candidate request alternately, round after round, so that drift in machine
load affects both alike. Reported: the median microseconds per request of each side, the median
of the per-round ratios (candidate / baseline), PASS or FAIL against the project's goal, and
the machine's load. The exit status is 0 (a measurement, not a test) unless ``--strict``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Mapping, Sequence

from benchmarks.pair import Pair
from benchmarks.synthetic import SCALE_NAME, format_row, run_sizes

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


def measure(pair: Pair, rounds: int, calls: int) -> dict[str, float | str | bool | None]:
    """Check ``pair``, run it interleaved, return medians, the median ratio and pass/fail."""
    if pair.setup is not None:
        pair.setup()
    if pair.check is not None:
        pair.check()  # raises BaselineMismatch: timing unequal work would mean nothing
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
    ratio, candidate_us = statistics.median(ratios), statistics.median(cand_times)
    return {
        "name": pair.name,
        "baseline_us": statistics.median(base_times),
        "candidate_us": candidate_us,
        "ratio": ratio,
        "target": pair.target,
        "target_us": pair.target_us,
        "checked_equal": pair.check is not None,
        "passed": pair.passes(ratio, candidate_us),
    }


def exit_status(results: Sequence[Mapping[str, object]], strict: bool) -> int:
    """0, or 1 under ``--strict`` when a pair missed its goal: a measurement is not a test."""
    return 1 if strict and any(row["passed"] is False for row in results) else 0


def _load() -> dict[str, object]:
    """The machine's load averages and CPU count: wall-clock figures depend on them."""
    one, five, fifteen = os.getloadavg()
    return {"loadavg": [round(one, 2), round(five, 2), round(fifteen, 2)], "cpus": os.cpu_count()}


def main(argv: list[str] | None = None) -> int:
    """Set up the database, run every pair, print a table (or JSON)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--rounds", type=int, default=30, help="interleaved rounds (default 30)")
    parser.add_argument(
        "--calls", type=int, default=20, help="calls per side per round (default 20)"
    )
    parser.add_argument("--only", default="", help="run only pairs whose name contains this")
    parser.add_argument(
        "--schema-sizes",
        default="20,100",
        help="resources of the schema-scale pairs (fresh processes); the full set, 20,100,300, "
        "takes a few minutes (default 20,100)",
    )
    parser.add_argument(
        "--schema-repeat", type=int, default=3, help="fresh processes per schema-scale side"
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument(
        "--strict", action="store_true", help="exit with status 1 when any pair fails its goal"
    )
    args = parser.parse_args(argv)

    import django

    django.setup()
    from benchmarks.scenarios import build_pairs, in_lifecycle_order, prepare

    prepare()
    pairs = [pair for pair in build_pairs() if args.only in pair.name]
    scale: list[dict[str, object]] = []
    if args.only in SCALE_NAME or args.only.startswith(SCALE_NAME) or not args.only:
        sizes = [int(size) for size in args.schema_sizes.split(",") if size]
        scale = run_sizes(sizes, args.schema_repeat)
    load_before = _load()
    # Measured in the order the lifecycle can move (preview before stable), reported as listed.
    measured = {
        pair.name: measure(pair, args.rounds, args.calls) for pair in in_lifecycle_order(pairs)
    }
    results = [measured[pair.name] for pair in pairs]
    load_after = _load()
    status = exit_status([*results, *scale], args.strict)
    if args.json:
        print(
            json.dumps(
                {
                    "rounds": args.rounds,
                    "calls": args.calls,
                    "load_before": load_before,
                    "load_after": load_after,
                    "pairs": results,
                    "schema_scale": scale,
                },
                indent=2,
            )
        )
        return status
    import rest_framework

    print(
        f"Python {sys.version.split()[0]}, Django {django.get_version()}, "
        f"DRF {rest_framework.VERSION}; {args.rounds} rounds x {args.calls} calls per side"
    )
    print(f"load average {_describe(load_before)} before, {_describe(load_after)} after")
    print(f"{'pair':<44} {'plain us':>10} {'ours us':>10} {'ratio':>7} {'target':>9}  result")
    for row in results:
        target = f"{row['target']:.2f}x" if row["target"] else "-"
        if row["target_us"]:
            target = f"<={row['target_us']:.0f}us"
        verdict = {True: "PASS", False: "FAIL", None: "-"}[row["passed"]]  # type: ignore[index]
        print(
            f"{row['name']:<44} {row['baseline_us']:>10.1f} {row['candidate_us']:>10.1f} "
            f"{row['ratio']:>6.3f}x {target:>9}  {verdict}"
        )
    if scale:
        print(f"\n{SCALE_NAME}: CPU ms of one cold generation in a fresh process, medians")
        for scale_row in scale:
            print(format_row(scale_row))
    return status


def _describe(load: dict[str, object]) -> str:
    one, five, fifteen = load["loadavg"]  # type: ignore[misc]
    return f"{one} {five} {fifteen} ({load['cpus']} CPUs)"


if __name__ == "__main__":
    sys.exit(main())

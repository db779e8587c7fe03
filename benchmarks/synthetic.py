"""``python -m benchmarks.synthetic``: one version's cold OpenAPI document at scale.

A synthetic project (``benchmarks/synthetic_app``) of N resources, each a ``ModelViewSet`` on
a ``SimpleRouter`` (two paths, six operations), declared in three versions with a few changes.
Each measurement runs in a fresh interpreter (nothing warm: drf-spectacular's and Django's
memos start empty, as on the first schema request after a deploy): the *plain* side generates
plain DRF twins of the same viewsets with drf-spectacular and no versioning, the *ours* side
generates version 2.0 (the same endpoints) with ``versioning_app.docs.schema.generate_schema``.
Both sides first set Django up and import the URLconf; only the generation is timed, in CPU
time (``time.process_time``: on a shared machine, wall-clock time mostly measures the others).
Reported per size: the median CPU milliseconds of each side over ``--repeat`` runs (the sides
alternate run by run) and the median of the paired ratios. Then, per size, a lifecycle edit
(deprecating 2.0) and the next fetch of its document, in a process that has fetched it once:
its CPU time against the plain side's cold generation, and never a generation (checked).

``--profile N`` instead prints the cProfile of our side's generation at N resources.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from typing import Any

SETTINGS = "benchmarks.synthetic_settings"
SCALE_NAME = "schema-scale"
SIZES = (20, 100, 300)
TARGET = 1.10
# A lifecycle edit and the next fetch: a fraction of what generating again would cost.
EDIT_TARGET = 0.25
VERSION = "2.0"


def _setup(resources: int) -> None:
    os.environ["BENCH_SYNTHETIC_RESOURCES"] = str(resources)
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # the lifecycle rows' tables, not the synthetic models
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (imported alike by both sides, outside the timing)


def _generate(side: str) -> dict[str, Any]:
    if side == "plain":
        from drf_spectacular.generators import SchemaGenerator

        from benchmarks.synthetic_app.urls import plain_patterns

        generator = SchemaGenerator(patterns=plain_patterns)
        return generator.get_schema(request=None, public=True)  # type: ignore[no-any-return]
    from versioning_app.docs import catalog
    from versioning_app.docs.schema import generate_schema
    from versioning_app.versions import VersionNumber

    info = catalog.info_for(VersionNumber.parse(VERSION))
    assert info is not None
    return generate_schema(info)


def operations(schema: dict[str, Any], prefix: str) -> set[tuple[str, str]]:
    """(path below ``prefix``, method) of every operation of a document."""
    return {
        (path.removeprefix(prefix), method)
        for path, item in schema.get("paths", {}).items()
        for method in item
        if method in ("get", "put", "post", "patch", "delete")
    }


def _edit_and_fetch() -> dict[str, Any]:
    """Fetch 2.0 once (generating it), then time a deprecation of 2.0 and the next fetch."""
    import versioning_app
    from versioning_app.docs import catalog
    from versioning_app.docs.cache import schema_document
    from versioning_app.docs.signals import schema_generated
    from versioning_app.versions import VersionNumber

    number = VersionNumber.parse(VERSION)
    info = catalog.info_for(number)
    assert info is not None
    schema_document(info)
    generated: list[object] = []
    schema_generated.connect(lambda **kwargs: generated.append(kwargs["version"]), weak=False)
    start = time.process_time()
    versioning_app.deprecate(VERSION)
    info = catalog.info_for(number)
    assert info is not None
    body, _etag = schema_document(info)
    elapsed = time.process_time() - start
    deprecated = json.loads(body)["info"]["x-lifecycle"]["status"] == "deprecated"
    return {"ms": elapsed * 1000, "generations": len(generated), "deprecated": deprecated}


def child(resources: int, side: str, count: bool = False) -> dict[str, Any]:
    """In a fresh interpreter: set up, time one cold generation, describe what it produced.

    With ``count``, the generation runs under cProfile and the Python function calls it made
    are reported too: a figure the machine's load cannot move (the time is then inflated).
    """
    _setup(resources)
    if side == "edit":
        return {"side": side, "resources": resources, **_edit_and_fetch()}
    profiler = None
    if count:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    start, cpu_start = time.perf_counter(), time.process_time()
    schema = _generate(side)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    calls = None
    if profiler is not None:
        import pstats

        profiler.disable()
        calls = pstats.Stats(profiler).total_calls  # type: ignore[attr-defined]
    prefix = "/plain" if side == "plain" else "/api/v2"
    return {
        "side": side,
        "resources": resources,
        "ms": cpu * 1000,
        "wall_ms": elapsed * 1000,
        "calls": calls,
        "operations": len(operations(schema, prefix)),
    }


def _run_child(resources: int, side: str, count: bool = False) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.synthetic", "--child", side, str(resources)]
    if count:
        command.append("--count")
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def count_calls(resources: int) -> dict[str, Any]:
    """Python function calls of one cold generation on each side (fresh processes, cProfile)."""
    plain = _run_child(resources, "plain", count=True)["calls"]
    ours = _run_child(resources, "ours", count=True)["calls"]
    return {"resources": resources, "plain_calls": plain, "our_calls": ours, "ratio": ours / plain}


def measure(resources: int, repeat: int) -> dict[str, Any]:
    """``repeat`` fresh-process runs of each side, alternating; medians and the paired ratio."""
    plain: list[float] = []
    ours: list[float] = []
    ratios: list[float] = []
    for index in range(repeat):
        order = ("plain", "ours") if index % 2 == 0 else ("ours", "plain")
        runs = {side: _run_child(resources, side) for side in order}
        if runs["plain"]["operations"] != runs["ours"]["operations"]:
            raise AssertionError(f"the two sides document different operations: {runs}")
        plain.append(runs["plain"]["ms"])
        ours.append(runs["ours"]["ms"])
        ratios.append(runs["ours"]["ms"] / runs["plain"]["ms"])
    ratio = statistics.median(ratios)
    return {
        "name": f"{SCALE_NAME} {resources}: cold {VERSION} (fresh process)",
        "resources": resources,
        "operations": runs["plain"]["operations"],
        "baseline_ms": statistics.median(plain),
        "candidate_ms": statistics.median(ours),
        "ratio": ratio,
        "ratios": [round(value, 3) for value in ratios],
        "target": TARGET,
        "passed": ratio <= TARGET,
    }


def measure_edit(resources: int, repeat: int, plain_ms: float) -> dict[str, Any]:
    """A lifecycle edit and the next fetch of the edited version, against a cold generation."""
    runs = [_run_child(resources, "edit") for _ in range(repeat)]
    if any(run["generations"] or not run["deprecated"] for run in runs):
        raise AssertionError(f"the edit regenerated, or did not show: {runs}")
    median = statistics.median(run["ms"] for run in runs)
    return {
        "name": f"{SCALE_NAME} {resources}: lifecycle edit + fetch",
        "resources": resources,
        "baseline_ms": plain_ms,
        "candidate_ms": median,
        "ratio": median / plain_ms,
        "ratios": [round(run["ms"] / plain_ms, 3) for run in runs],
        "target": EDIT_TARGET,
        "passed": median / plain_ms <= EDIT_TARGET,
    }


def profile(resources: int, top: int) -> None:
    """Print the cProfile of our side's cold generation (cumulative and own time)."""
    import cProfile
    import pstats

    _setup(resources)
    profiler = cProfile.Profile()
    profiler.enable()
    _generate("ours")
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


def run_sizes(sizes: list[int], repeat: int) -> list[dict[str, Any]]:
    """The cold pair of each size, then the lifecycle edit of each size."""
    cold = [measure(size, repeat) for size in sizes]
    edits = [measure_edit(row["resources"], repeat, row["baseline_ms"]) for row in cold]
    return cold + edits


def main(argv: list[str] | None = None) -> int:
    """Run the sizes (or one child, or a profile) and print a table or JSON."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.synthetic", description=__doc__)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="resource counts")
    parser.add_argument("--repeat", type=int, default=5, help="fresh processes per side and size")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--profile", type=int, default=0, help="profile our side at N resources")
    parser.add_argument(
        "--count", action="store_true", help="count Python function calls instead of timing"
    )
    parser.add_argument("--child", nargs=2, metavar=("SIDE", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(int(args.child[1]), args.child[0], args.count)))
        return 0
    if args.count:
        for size in args.sizes.split(","):
            row = count_calls(int(size))
            print(
                f"{size:>4} resources: plain {row['plain_calls']:>10,} calls, "
                f"ours {row['our_calls']:>10,} calls, {row['ratio']:.3f}x"
            )
        return 0
    if args.profile:
        profile(args.profile, 30)
        return 0
    results = run_sizes([int(size) for size in args.sizes.split(",")], args.repeat)
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    for row in results:
        print(format_row(row))
    return 0


def format_row(row: dict[str, Any]) -> str:
    """One line of the table: sizes, medians, ratio, target, result."""
    verdict = "PASS" if row["passed"] else "FAIL"
    return (
        f"{row['name']:<52} {row['baseline_ms']:>9.0f}ms {row['candidate_ms']:>9.0f}ms "
        f"{row['ratio']:>6.3f}x {row['target']:>5.2f}x  {verdict}  runs {row['ratios']}"
    )


if __name__ == "__main__":
    sys.exit(main())

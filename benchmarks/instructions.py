"""``python -m benchmarks.instructions``: instructions per request, plain DRF against ours.

Wall-clock ratios move by a percent or so with the machine's load; instruction counts do not.
This runs the benchmark's requests under valgrind's callgrind (which counts the instructions
the CPU executes, not time) and prints, per pair, the instructions of one request on each side
and their ratio. Use it to compare two versions of the code; it is slow (about three minutes) and
needs ``valgrind`` on the PATH. Fewer instructions is not the whole story (cache misses cost
time too), so the wall-clock harness (``python -m benchmarks``) stays the measure of record.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.query_pairs import HEAD_QUERY, OLD_QUERY

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")

SEGMENTS = 8  # see _shuffle_type_versions
# (label, plain path, our path); BOOK is the primary key of the first book.
# Head is stable (as in the head pairs), 1.1 deprecated as SPEC section 6 seeds it.
PAIRS = [
    ("head 3.0: detail", "/plain3/books/BOOK/", "/api/v3/books/BOOK/"),
    ("head 3.0: list of 50", "/plain3/books/", "/api/v3/books/"),
    ("1.1 deprecated: detail", "/plain1/books/BOOK/", "/api/v1/books/BOOK/"),
    # Versioned query parameters (benchmarks/query_pairs.py): head, and 1.1's names.
    ("head 3.0: filtered list", f"/plain3/books/?{HEAD_QUERY}", f"/api/v3/books/?{HEAD_QUERY}"),
    ("1.1 deprecated: filtered list", f"/plain1/books/?{OLD_QUERY}", f"/api/v1/books/?{OLD_QUERY}"),
]


def _child(requests: int) -> None:
    """Inside valgrind: warm up, then count each path's requests in segments, one dump each."""
    import django

    django.setup()
    from django.test import Client

    from benchmarks.scenarios import _get, prepare, stable_head
    from example_project.library.models import Book

    prepare()
    stable_head()
    client = Client()
    book = Book.objects.order_by("pk").values_list("pk", flat=True).first()
    pid = str(os.getpid())
    paths = [p.replace("BOOK", str(book)) for _, *sides in PAIRS for p in sides]
    for path in paths:
        for _ in range(30):
            _get(client, path)

    def control(*args: str) -> None:
        subprocess.run(["callgrind_control", *args, pid], check=True, capture_output=True)

    control("--instr=on")
    for index, path in enumerate(paths):
        for segment in range(SEGMENTS):
            _shuffle_type_versions(segment)
            gc.collect()  # every segment starts from the same garbage-collector state...
            gc.disable()  # ...and none collects inside it: a collection's cost is chaotic too
            control("--zero")
            for _ in range(requests // SEGMENTS):
                _get(client, path)
            # Named by position: callgrind cuts a dump's name at a query string's characters.
            control(f"--dump=path{index}#{segment}")
            gc.enable()
    control("--instr=off")


def _shuffle_type_versions(segment: int) -> None:
    """Move CPython's type-version counter on by a different amount before each segment.

    DRF assigns a class attribute of ``Field`` for every field it creates, which invalidates the
    attribute cache of every serializer class; whether the lookups that follow collide in
    CPython's global method cache depends on the version numbers the classes get next. A given
    build of the code lands on one arbitrary pattern, worth +-10K instructions per request, and
    a one-line change elsewhere lands on another. Several segments, each after a different
    number of field creations, average that out (repeat runs then agree within about 3K).
    """
    from rest_framework import serializers

    for _ in range(segment * 3 + 1):
        serializers.Field()


def main(argv: list[str] | None = None) -> int:
    """Run the requests under callgrind and print instructions per request and ratios."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.instructions", description=__doc__)
    parser.add_argument("--requests", type=int, default=200, help="per path (default 200)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.requests)
        return 0
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt-get install valgrind).", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                "--instr-atstart=no",
                f"--callgrind-out-file={out}",
                sys.executable,
                "-m",
                "benchmarks.instructions",
                "--child",
                f"--requests={args.requests}",
            ],
            check=True,
            capture_output=True,
        )
        counts: dict[str, int] = {}
        measured = args.requests // SEGMENTS * SEGMENTS
        for dump in Path(folder).glob("callgrind.out.*"):
            text = dump.read_text(errors="replace")
            path = re.search(r"^desc: Trigger: .*dump (\S+)#\d+", text, re.M)
            total = re.search(r"^summary: (\d+)", text, re.M)
            if path and total:
                counts[path.group(1)] = counts.get(path.group(1), 0) + int(total.group(1))
        counts = {path: total // measured for path, total in counts.items()}
    print(f"instructions per request (callgrind), {measured} requests per path")
    print(f"{'pair':<32} {'plain':>12} {'ours':>12} {'ratio':>7}")
    for index, (label, _plain, _ours) in enumerate(PAIRS):
        base, cand = counts[f"path{2 * index}"], counts[f"path{2 * index + 1}"]
        print(f"{label:<32} {base:>12,} {cand:>12,} {cand / base:>6.4f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())

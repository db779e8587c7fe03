"""A writer or flusher process of the usage concurrency test (``python -m`` this module).

``write <n> <offset>``: n requests through the Django test client, as the plan says, then exit
(the exit pushes this process's pending counts). ``flush-loop <stop-file>``: flush until the
stop file exists. ``flush-once``: one flush.
"""

from __future__ import annotations

import base64
import os
import sys
import time

# (path, extra headers, username or None for anonymous): request i uses PLAN[i % len(PLAN)].
PLAN: list[tuple[str, dict[str, str], str | None]] = [
    ("/api/v3/books/", {}, None),
    ("/api/v2/books/", {}, "writer-a"),
    ("/api/v2/books/", {"HTTP_API_VERSION": "2.0"}, "writer-b"),
    ("/api/v1/books/", {}, None),
    ("/api/v2/authors/", {}, "writer-a"),
    ("/api/v1/books/", {}, "writer-b"),
    ("/api/v3/authors/", {}, None),
]
# What each plan entry is counted as: (version, route, method), the client added by the test.
COUNTED_AS = [
    ("3.0", "book-list", "GET"),
    ("2.1", "book-list", "GET"),
    ("2.0", "book-list", "GET"),
    ("1.1", "book-list", "GET"),
    ("2.1", "author-list", "GET"),
    ("1.1", "book-list", "GET"),
    ("3.0", "author-list", "GET"),
]


def _write(requests: int, offset: int) -> None:
    from django.test import Client

    client = Client()
    for index in range(offset, offset + requests):
        path, headers, username = PLAN[index % len(PLAN)]
        if username:
            token = base64.b64encode(f"{username}:secret".encode()).decode()
            headers = {**headers, "HTTP_AUTHORIZATION": f"Basic {token}"}
        response = client.get(path, **headers)
        if response.status_code != 200:
            sys.exit(f"{path} answered {response.status_code}")


def _flush_loop(stop_file: str) -> None:
    from versioning_app.usage.flush import flush

    while not os.path.exists(stop_file):
        flush()
        time.sleep(0.05)


def main() -> None:
    """Run one role."""
    import django

    django.setup()
    role, *args = sys.argv[1:]
    if role == "write":
        _write(int(args[0]), int(args[1]))
    elif role == "flush-loop":
        _flush_loop(args[0])
    elif role == "flush-once":
        from versioning_app.usage.flush import flush

        flush()
    else:
        sys.exit(f"unknown role {role!r}")


if __name__ == "__main__":
    main()

"""A real gunicorn (two sync workers) on 127.0.0.1 and a free port, for the live tests."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_gunicorn(
    env: dict[str, str], log_path: Path, *, ready_path: str, start_seconds: float
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Serve the test app until the block ends; yields its base URL and the process.

    Ready once ``ready_path`` answers; a graceful stop (SIGTERM) unless the block stopped it.
    """
    log = log_path.open("wb")
    port = free_port()
    process = subprocess.Popen(
        [
            str(GUNICORN), "tests.support.wsgi:application",
            "--workers", "2", "--worker-class", "sync",
            "--bind", f"127.0.0.1:{port}", "--chdir", str(ROOT),
        ],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_seconds
        while True:
            try:
                urllib.request.urlopen(f"{base}{ready_path}", timeout=2).close()
                break
            except OSError as exc:
                if isinstance(exc, urllib.error.HTTPError) and exc.code < 500:
                    break  # it answers (a 404 problem is an answer)
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        f"gunicorn did not start: {log_path.read_text()}"
                    ) from None
                time.sleep(0.1)
        yield base, process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()

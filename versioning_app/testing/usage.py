"""Usage inside a test: write what this process counted to the database, now."""

from __future__ import annotations

from versioning_app.usage.buffer import counter
from versioning_app.usage.flush import FlushResult, flush

__all__ = ["flush_usage"]


def flush_usage() -> FlushResult:
    """Write every usage count of this process to the database, the current slot included.

    Only for tests (and a process that is exiting): in production, slots are flushed once
    closed, by every worker and ``manage.py api_usage_flush``.
    """
    counter.push(include_open=True)
    return flush(include_open=True)

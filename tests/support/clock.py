"""A controllable ``time.monotonic`` for the lifecycle snapshot's refresh bound (a fixture)."""

from __future__ import annotations

import pytest

from versioning_app.lifecycle import snapshot as snapshot_module
from versioning_app.testing import refresh_lifecycle


class Clock:
    """What ``time.monotonic`` answers to the snapshot; tests move ``now`` forward."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The snapshot's clock under the test's control, starting cold as a new worker does."""
    fake = Clock()
    monkeypatch.setattr(snapshot_module.time, "monotonic", fake)
    refresh_lifecycle()
    return fake

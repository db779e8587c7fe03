"""Settings of the processes of the usage concurrency tests: one-second slots."""

import os

from tests.settings import *  # noqa: F403

VERSIONING_APP = {
    **VERSIONING_APP,  # noqa: F405
    # The kill test (test_usage_live.py) asks for long slots: one slot for the whole test.
    "USAGE_SLOT_SECONDS": int(os.environ.get("VERSIONING_APP_TEST_USAGE_SLOT", "1")),
    # Long enough for a loaded machine to finish a push before a flusher takes the slot.
    "USAGE_FLUSH_GRACE_SECONDS": float(os.environ.get("VERSIONING_APP_TEST_USAGE_GRACE", "3")),
    # The live-server test turns the per-process worker thread on.
    "USAGE_FLUSH_INTERVAL": float(os.environ.get("VERSIONING_APP_TEST_USAGE_INTERVAL", "0")),
    # Clients and their first pins are made by the same racing flushers: exactly once too.
    "CLIENTS_PINNING": True,
}

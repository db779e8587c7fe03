"""Settings of the processes of the usage concurrency tests: one-second slots."""

import os

from tests.settings import *  # noqa: F403

VERSIONING_APP = {
    **VERSIONING_APP,  # noqa: F405
    "USAGE_SLOT_SECONDS": 1,
    # Long enough for a loaded machine to finish a push before a flusher takes the slot.
    "USAGE_FLUSH_GRACE_SECONDS": 3,
    # The live-server test turns the per-process worker thread on.
    "USAGE_FLUSH_INTERVAL": float(os.environ.get("VERSIONING_APP_TEST_USAGE_INTERVAL", "0")),
    # Clients and their first pins are made by the same racing flushers: exactly once too.
    "CLIENTS_PINNING": True,
}

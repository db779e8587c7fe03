"""Settings of the processes of the usage concurrency test: one-second slots, no threads."""

from tests.settings import *  # noqa: F403

VERSIONING_APP = {
    **VERSIONING_APP,  # noqa: F405
    "USAGE_SLOT_SECONDS": 1,
    # Long enough for a loaded machine to finish a push before a flusher takes the slot.
    "USAGE_FLUSH_GRACE_SECONDS": 3,
    "USAGE_FLUSH_INTERVAL": 0,
}

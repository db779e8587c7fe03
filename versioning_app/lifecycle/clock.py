"""The lifecycle clock: the one "now" that every lifecycle decision reads.

Status by date, a sunset passed, a brownout under way, the policy dates and the header values
all ask :func:`now`. It is the wall clock (``django.utils.timezone.now``) unless a test, or the
admin's "what happens on…" page, sets another moment with :func:`set_now` (through
``versioning_app.testing.lifecycle_clock``). The set moment is process-wide, like
``override_settings``: a test's client requests and its live-server threads see it alike.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

# None: the wall clock. A process-wide value (not a context variable): the test client and a
# live server thread of the same test must agree on the date.
_moment: datetime.datetime | None = None


def now() -> datetime.datetime:
    """The lifecycle's now: the moment set by :func:`set_now`, else the wall clock (aware)."""
    moment = _moment
    # Looked up on the module each time: tests that patch timezone.now keep working.
    return moment if moment is not None else timezone.now()


def set_now(moment: datetime.datetime | None) -> datetime.datetime | None:
    """Make :func:`now` answer ``moment`` (naive means UTC); None is the wall clock again.

    Returns the moment set before, so that the caller can put it back.
    """
    global _moment
    if moment is not None and timezone.is_naive(moment):
        moment = moment.replace(tzinfo=datetime.UTC)
    previous, _moment = _moment, moment
    return previous


def is_set() -> bool:
    """Whether a moment is set (the clock is not the wall clock)."""
    return _moment is not None

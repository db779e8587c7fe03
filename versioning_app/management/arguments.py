"""Argument parsing shared by the app's management commands.

Argument types raise ``argparse.ArgumentTypeError``: argparse then reports the bad value on one
line with the command's usage (Django's ``CommandParser`` turns it into a ``CommandError`` when
the command is called from code), never a traceback.
"""

from __future__ import annotations

import argparse
import datetime
import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

T = TypeVar("T")


def positive_int(value: str) -> int:
    """An ``argparse`` type: a whole number of at least 1."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(
            _("%(value)r is not a whole number of at least 1.") % {"value": value[:40]}
        )
    return number


def moment(value: str) -> datetime.datetime:
    """An ``argparse`` type: an ISO date (midnight UTC) or date-time (UTC unless offset)."""
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("%(value)r is not a date; use YYYY-MM-DD or YYYY-MM-DDTHH:MM[+HH:MM].")
            % {"value": value[:40]}
        ) from None
    if timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=datetime.UTC)
    return parsed


def add_api_version(parser: CommandParser, help_text: str) -> None:
    """``--api-version``: one API version (``--version`` stays Django's own)."""
    parser.add_argument("--api-version", dest="api_version", metavar="VERSION", help=help_text)


def iso_default(value: object) -> Any:
    """``json.dumps(default=...)``: dates and date-times as ISO 8601, anything else as text."""
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return str(value)


def to_json(data: object) -> str:
    """``data`` as indented JSON, dates in ISO 8601."""
    return json.dumps(data, default=iso_default, indent=2, ensure_ascii=False)


def progress(
    command: BaseCommand,
    items: Sequence[T],
    label: str,
    verbosity: int,
    describe: Callable[[T], str] = str,
) -> Iterator[T]:
    """Yield ``items``, writing ``label (n/total): item`` to stderr as each one starts.

    Shown with ``-v 2`` or more, or with the default ``-v 1`` when stderr is a terminal; never
    with ``-v 0``. Progress goes to stderr so that stdout stays the command's output.
    """
    shown = verbosity >= 2 or (verbosity == 1 and command.stderr.isatty())
    for index, item in enumerate(items, start=1):
        if shown:
            command.stderr.write(f"{label} ({index}/{len(items)}): {describe(item)}")
        yield item

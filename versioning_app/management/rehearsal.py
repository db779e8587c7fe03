"""``api_lifecycle brownout`` and ``api_lifecycle policy``: the sunset rehearsal's options.

Kept apart from the command's own arguments: ``api_lifecycle`` adds these options and hands
the two actions here.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import CommandError, CommandParser, OutputWrapper

from versioning_app import lifecycle
from versioning_app.lifecycle import clock
from versioning_app.lifecycle.brownouts import DEFAULT_PLAN_APART, DEFAULT_PLAN_HOURS
from versioning_app.management.arguments import positive_int

ACTIONS = ("brownout", "policy")
#: Option name (as in ``options``) -> the actions it belongs to.
OPTIONS = {
    "start": "brownout",
    "minutes": "brownout",
    "endpoint": "brownout",
    "share": "brownout",
    "client": "brownout",
    "plan": "brownout",
    "plan_hours": "brownout",
    "plan_apart_days": "brownout",
    "note": "brownout",
    "read_only": "policy",
    "no_new_clients_after": "policy",
}


def parse_start(value: str) -> datetime.datetime:
    """``now`` or an ISO 8601 date-time (UTC unless it names an offset)."""
    if value.strip().lower() == "now":
        return clock.now()
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"{value[:40]!r} is not a moment; use now or YYYY-MM-DDTHH:MM[+HH:MM]."
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def parse_hours(value: str) -> list[int]:
    """``1,4,24``: the lengths of a plan's windows in hours."""
    try:
        hours = [int(part) for part in value.split(",")]
    except ValueError:
        raise CommandError(
            "--plan-hours takes whole hours separated by commas, e.g. 1,4,24."
        ) from None
    if not hours or any(hour < 1 or hour > 168 for hour in hours):
        raise CommandError("--plan-hours takes hours from 1 to 168, e.g. 1,4,24.")
    return hours


def percent(value: str) -> int:
    """An ``argparse`` type: a whole percentage from 1 to 100."""
    number = int(value)
    if not 1 <= number <= 100:
        raise ValueError(value)
    return number


def add_arguments(parser: CommandParser) -> None:
    """The ``brownout`` and ``policy`` options."""
    parser.add_argument("--start", help="brownout: when it starts, ISO 8601 or now.")
    parser.add_argument("--minutes", type=positive_int, help="brownout: how long it lasts.")
    parser.add_argument("--endpoint", help="brownout: only this route name (e.g. book-list).")
    parser.add_argument(
        "--share", type=percent, help="brownout: only this percent of clients (always the same)."
    )
    parser.add_argument(
        "--client", action="append", help="brownout: only this client key (repeatable)."
    )
    parser.add_argument("--note", help="brownout: a note shown in the admin.")
    parser.add_argument(
        "--plan",
        action="store_true",
        help="brownout: an escalating series before the sunset instead of one window.",
    )
    parser.add_argument(
        "--plan-hours", help="brownout --plan: window lengths in hours (default 1,4,24)."
    )
    parser.add_argument(
        "--plan-apart-days",
        type=positive_int,
        help="brownout --plan: days between windows, and from the last to the sunset (default 7).",
    )
    parser.add_argument(
        "--read-only", choices=("on", "off"), help="policy: refuse writes (410) or not."
    )
    parser.add_argument(
        "--no-new-clients-after",
        help="policy: a date after which new clients get 400 (ISO 8601, now, or never).",
    )


def given_options(options: dict[str, Any]) -> dict[str, str]:
    """The rehearsal options given, each with the action it belongs to."""
    return {
        name: action
        for name, action in OPTIONS.items()
        if options.get(name) not in (None, False, [])
    }


def handle(action: str, version: str, options: dict[str, Any], stdout: OutputWrapper) -> str:
    """Run ``brownout`` or ``policy``; the line to print. Raises ``CommandError`` if refused."""
    try:
        if action == "brownout":
            return _brownout(version, options)
        return _policy(version, options)
    except lifecycle.TransitionRefused as exc:
        raise CommandError(f"{exc} Nothing was saved.") from exc


def _window(window: Any) -> str:
    where = f" on {window.route}" if window.route else ""
    return f"{window.starts_at:%Y-%m-%d %H:%M} to {window.ends_at:%Y-%m-%d %H:%M} UTC{where}"


def _brownout(version: str, options: dict[str, Any]) -> str:
    if options.get("plan"):
        if options.get("start") or options.get("minutes") or options.get("client"):
            raise CommandError(
                "--plan computes the windows: leave out --start, --minutes, --client."
            )
        hours = parse_hours(options["plan_hours"]) if options.get("plan_hours") else None
        apart_days = options.get("plan_apart_days")
        windows = lifecycle.plan_brownouts(
            version,
            hours=hours or DEFAULT_PLAN_HOURS,
            apart=datetime.timedelta(days=apart_days) if apart_days else DEFAULT_PLAN_APART,
            route=options.get("endpoint") or "",
            share=options.get("share"),
        )
        lines = [f"Planned {len(windows)} brownouts of {version}:"]
        lines += [f"  {_window(window)}" for window in windows]
        return "\n".join(lines)
    if options.get("plan_hours") or options.get("plan_apart_days"):
        raise CommandError("--plan-hours and --plan-apart-days only apply with --plan.")
    if not options.get("start") or not options.get("minutes"):
        raise CommandError("brownout needs --start (ISO 8601 or now) and --minutes, or --plan.")
    window = lifecycle.schedule_brownout(
        version,
        starts_at=parse_start(options["start"]),
        minutes=options["minutes"],
        route=options.get("endpoint") or "",
        clients=options.get("client") or (),
        share=options.get("share"),
        note=options.get("note") or "",
    )
    return f"Brownout of {version} scheduled: {_window(window)}."


def _policy(version: str, options: dict[str, Any]) -> str:
    read_only = {"on": True, "off": False, None: None}[options.get("read_only")]
    after = options.get("no_new_clients_after")
    if read_only is None and after is None:
        raise CommandError("policy needs --read-only on|off or --no-new-clients-after DATE|never.")
    kwargs: dict[str, Any] = {"read_only": read_only}
    if after is not None:
        kwargs["new_clients_until"] = (
            None if after.strip().lower() == "never" else parse_start(after)
        )
    row = lifecycle.set_policies(version, **kwargs)
    closed = (
        f"no new clients after {row.new_clients_until:%Y-%m-%d %H:%M} UTC"
        if row.new_clients_until
        else "new clients welcome"
    )
    return f"{row.version}: {'read-only' if row.read_only else 'writable'}, {closed}."

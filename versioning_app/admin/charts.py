"""Server-rendered SVG charts for the admin: no JavaScript, nothing a strict CSP blocks.

Pure functions: figures in, ``SafeString`` out. Python computes the geometry; one template per
chart writes the SVG (autoescaped), with presentation attributes (``fill``, ``x``...) and the
classes of ``static/versioning_app/admin.css``, never a ``style`` attribute. Every mark carries
its figures in ``data-*`` attributes and a ``<title>`` (the tooltip, and what the tests read).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

#: One colour per version, in order; readable on light and dark backgrounds.
PALETTE = ("#417690", "#e08a00", "#2e8b57", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d")
_TEMPLATES = "admin/versioning_app/charts/"

#: A time window (start, end), e.g. a brownout.
Window = tuple[datetime.datetime, datetime.datetime]


def thousands(value: int) -> str:
    """``12345`` as ``12,345`` (the active language's separator)."""
    return number_format(value, force_grouping=True)


def _render(template: str, context: dict[str, object]) -> SafeString:
    # The template autoescapes every value: the result is safe HTML.
    return mark_safe(render_to_string(f"{_TEMPLATES}{template}", context).strip())


# --- sparkline --------------------------------------------------------------------------------


def sparkline(
    values: Sequence[int], *, version: str, width: int = 60, height: int = 18
) -> SafeString:
    """A line of one version's requests per day, oldest first."""
    top = max(values, default=0) or 1
    step = width / max(len(values) - 1, 1)
    points = " ".join(
        f"{index * step:.1f},{height - 1 - value / top * (height - 2):.1f}"
        for index, value in enumerate(values)
    )
    total = sum(values)
    label = _("%(version)s: %(requests)s requests in %(days)d days, at most %(top)s a day") % {
        "version": version,
        "requests": thousands(total),
        "days": len(values),
        "top": thousands(max(values, default=0)),
    }
    return _render(
        "sparkline.html",
        {
            "width": width,
            "height": height,
            "points": points,
            "label": label,
            "version": version,
            "series": ",".join(str(value) for value in values),
        },
    )


# --- requests per day and version -------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """One version's requests on one day: a rectangle of the stack."""

    x: float
    y: float
    width: float
    height: float
    colour: str
    version: str
    day: str
    requests: int
    title: str


@dataclass(frozen=True)
class Tick:
    """A label on an axis."""

    x: float
    y: float
    text: str


def daily_bars(
    days: Sequence[datetime.date],
    series: Mapping[str, Sequence[int]],
    *,
    width: int = 900,
    height: int = 220,
) -> SafeString:
    """Stacked bars: per day, the requests of each version (``series[version][day index]``)."""
    left, bottom, top_margin = 56, 22, 8
    plot_width, plot_height = width - left - 4, height - bottom - top_margin
    totals = [sum(values[index] for values in series.values()) for index in range(len(days))]
    top = max(totals, default=0) or 1
    slot = plot_width / max(len(days), 1)
    colours = {version: PALETTE[index % len(PALETTE)] for index, version in enumerate(series)}
    bars: list[Bar] = []
    for index, day in enumerate(days):
        base = float(height - bottom)
        for version, values in series.items():
            requests = values[index]
            if not requests:
                continue
            bar_height = requests / top * plot_height
            base -= bar_height
            bars.append(
                Bar(
                    x=round(left + index * slot + slot * 0.1, 1),
                    y=round(base, 1),
                    width=round(slot * 0.8, 1),
                    height=round(bar_height, 1),
                    colour=colours[version],
                    version=version,
                    day=day.isoformat(),
                    requests=requests,
                    title=_("%(version)s on %(day)s: %(requests)s requests")
                    % {"version": version, "day": day.isoformat(), "requests": thousands(requests)},
                )
            )
    label_every = max(1, len(days) // 6)
    ticks = [
        Tick(round(left + index * slot + slot / 2, 1), height - 6, day.strftime("%m-%d"))
        for index, day in enumerate(days)
        if index % label_every == 0 or index == len(days) - 1
    ]
    return _render(
        "daily_bars.html",
        {
            "width": width,
            "height": height,
            "left": left,
            "axis_y": height - bottom,
            "top_y": top_margin,
            "top_label": thousands(max(totals, default=0)),
            "bars": bars,
            "ticks": ticks,
            "legend": [(version, colour) for version, colour in colours.items()],
            "label": _("Requests per day and version"),
            "days": len(days),
            "total": thousands(sum(totals)),
        },
    )


# --- lifecycle timeline -----------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineVersion:
    """What the timeline draws of one version; ``brownouts`` are (start, end) windows."""

    version: str
    status: str
    released_at: datetime.datetime | None
    deprecated_at: datetime.datetime | None
    sunset_at: datetime.datetime | None
    brownouts: Sequence[Window] = field(default=())


@dataclass(frozen=True)
class Segment:
    """A stretch of a version's life (``kind``: its status then) or a marked window."""

    x: float
    width: float
    kind: str
    title: str
    start: str
    end: str


@dataclass(frozen=True)
class Row:
    """One version's line of the timeline."""

    version: str
    status: str
    y: float
    segments: list[Segment]
    marks: list[Segment]


class _Scale:
    def __init__(self, start: datetime.datetime, end: datetime.datetime, x0: float, x1: float):
        self.start, self.span = start, max((end - start).total_seconds(), 1.0)
        self.x0, self.width = x0, x1 - x0

    def x(self, moment: datetime.datetime) -> float:
        offset = (moment - self.start).total_seconds() / self.span
        return round(self.x0 + min(max(offset, 0.0), 1.0) * self.width, 1)


def _day(moment: datetime.datetime) -> str:
    return f"{moment:%Y-%m-%d}"


def _segment(
    scale: _Scale, start: datetime.datetime, end: datetime.datetime, kind: str, title: str
) -> Segment:
    x = scale.x(start)
    return Segment(x, max(scale.x(end) - x, 2.0), kind, title, start.isoformat(), end.isoformat())


def brownout_marks(scale: _Scale, windows: Sequence[Window]) -> list[Segment]:
    """The marks of (start, end) windows such as brownouts on a version's line."""
    return [
        _segment(
            scale,
            start,
            end,
            "brownout",
            _("Brownout %(start)s to %(end)s UTC")
            % {"start": f"{start:%Y-%m-%d %H:%M}", "end": f"{end:%Y-%m-%d %H:%M}"},
        )
        for start, end in windows
    ]


def _stretches(
    version: TimelineVersion, now: datetime.datetime, end: datetime.datetime
) -> list[tuple[datetime.datetime, datetime.datetime, str]]:
    """(start, end, status) stretches of a version's life up to ``end``.

    A retired version is drawn retired from its sunset, or from now if it was retired before
    its sunset (the rows do not keep the day of retirement).
    """
    if version.status == "preview" or version.released_at is None:
        return [(now, end, "preview")] if version.status == "preview" else []
    deprecated_at, sunset_at = version.deprecated_at, version.sunset_at
    gone_at = sunset_at
    if version.status == "retired":
        gone_at = min(sunset_at, now) if sunset_at else now
    stretches = [(version.released_at, deprecated_at or gone_at or end, "stable")]
    if deprecated_at is not None:
        stretches.append((deprecated_at, gone_at or end, "deprecated"))
    if gone_at is not None:
        stretches.append((gone_at, end, "retired"))
    return [(start, stop, kind) for start, stop, kind in stretches if stop > start]


def timeline(
    versions: Sequence[TimelineVersion],
    *,
    now: datetime.datetime,
    width: int = 900,
    row_height: int = 22,
) -> SafeString:
    """Each version's release, deprecation, sunset and brownouts on one time axis, with today."""
    moments = [
        moment
        for version in versions
        for moment in (version.released_at, version.deprecated_at, version.sunset_at)
        if moment is not None
    ] + [now]
    first, last = min(moments), max(moments)
    margin = max((last - first) / 20, datetime.timedelta(days=7))
    start, end = first - margin, last + margin
    label_width, top = 48, 18
    scale = _Scale(start, end, label_width, width - 8)
    names = {
        "preview": _("preview"),
        "stable": _("stable"),
        "deprecated": _("deprecated"),
        "retired": _("retired"),
    }
    rows = []
    for index, version in enumerate(versions):
        segments = [
            _segment(
                scale,
                stretch_start,
                stretch_end,
                kind,
                _("%(version)s %(status)s from %(start)s")
                % {"version": version.version, "status": names[kind], "start": _day(stretch_start)},
            )
            for stretch_start, stretch_end, kind in _stretches(version, now, end)
        ]
        rows.append(
            Row(
                version.version,
                version.status,
                top + index * row_height,
                segments,
                brownout_marks(scale, version.brownouts),
            )
        )
    height = top + len(versions) * row_height + 4
    years = range(start.year + 1, end.year + 1)
    ticks = [
        Tick(scale.x(datetime.datetime(year, 1, 1, tzinfo=datetime.UTC)), 12, str(year))
        for year in years
    ]
    return _render(
        "timeline.html",
        {
            "width": width,
            "height": height,
            "rows": rows,
            "bar_height": row_height - 8,
            "label_x": label_width - 6,
            "ticks": ticks,
            "today_x": scale.x(now),
            "today": _day(now),
            "label": _("Lifecycle of every version"),
        },
    )

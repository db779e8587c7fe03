"""The SVG charts as pure functions: figures in, escaped SVG out, no style attribute."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import translation

from versioning_app.admin.charts import (
    TimelineVersion,
    daily_bars,
    sparkline,
    thousands,
    timeline,
)

UTC = datetime.UTC
DAYS = [datetime.date(2026, 11, 1) + datetime.timedelta(days=n) for n in range(3)]


def test_thousands_separators() -> None:
    assert thousands(1234567) == "1,234,567"
    assert thousands(12) == "12"


def test_a_sparkline_carries_its_series_and_scales_to_its_box() -> None:
    svg = sparkline([0, 5, 10], version="1.0", width=60, height=18)
    assert 'data-series="0,5,10"' in svg and 'data-version="1.0"' in svg
    points = re.search(r'points="([^"]+)"', svg)
    assert points is not None
    xy = [tuple(map(float, p.split(","))) for p in points.group(1).split()]
    assert xy[0] == (0.0, 17.0) and xy[-1] == (60.0, 1.0)  # the highest day touches the top
    assert "<title>1.0: 15 requests in 3 days, at most 10 a day</title>" in svg


def test_an_empty_sparkline_is_a_flat_line() -> None:
    svg = sparkline([0, 0], version="2.0")
    assert 'data-series="0,0"' in svg
    assert "0 requests in 2 days" in svg


def test_daily_bars_stack_versions_per_day_with_their_figures() -> None:
    svg = daily_bars(DAYS, {"1.0": [1000, 0, 3], "2.0": [2000, 5, 0]})
    bars = re.findall(
        r'<rect class="va-bar" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"'
        r'[^>]*data-version="([^"]+)" data-day="([^"]+)" data-requests="(\d+)"',
        svg,
    )
    assert [(v, d, int(r)) for *_geometry, v, d, r in bars] == [
        ("1.0", "2026-11-01", 1000),
        ("2.0", "2026-11-01", 2000),
        ("2.0", "2026-11-02", 5),
        ("1.0", "2026-11-03", 3),
    ]
    first, second = bars[0], bars[1]
    # Stacked: 2.0 sits on 1.0, and the tallest day fills the plot (3,000 is the top).
    assert float(second[1]) + float(second[3]) == pytest.approx(float(first[1]), abs=0.2)
    assert float(first[3]) + float(second[3]) == pytest.approx(220 - 22 - 8, abs=0.3)
    assert "<title>1.0 on 2026-11-01: 1,000 requests</title>" in svg
    assert ">3,000</text>" in svg  # the axis' top label
    assert "3,008 requests in 3 days (UTC)" in svg


def test_chart_text_is_escaped_and_never_styled() -> None:
    svg = daily_bars(DAYS, {"<script>": [1, 0, 0]}) + sparkline([1], version='"><b>')
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg
    assert "style=" not in svg


def test_the_timeline_draws_each_version_its_stretches_brownouts_and_today() -> None:
    now = datetime.datetime(2026, 11, 29, tzinfo=UTC)
    svg = timeline(
        [
            TimelineVersion(
                "1.0",
                "deprecated",
                released_at=datetime.datetime(2024, 1, 1, tzinfo=UTC),
                deprecated_at=datetime.datetime(2026, 6, 1, tzinfo=UTC),
                sunset_at=datetime.datetime(2027, 6, 1, tzinfo=UTC),
                brownouts=[
                    (
                        datetime.datetime(2027, 1, 10, 9, tzinfo=UTC),
                        datetime.datetime(2027, 1, 10, 10, tzinfo=UTC),
                    )
                ],
            ),
            TimelineVersion("2.0", "stable", datetime.datetime(2025, 1, 1, tzinfo=UTC), None, None),
            TimelineVersion("3.0", "preview", None, None, None),
        ],
        now=now,
    )
    kinds = re.findall(r'data-version="([^"]+)" data-status="(\w+)"', svg)
    assert kinds == [("1.0", "deprecated"), ("2.0", "stable"), ("3.0", "preview")]
    segments = re.findall(r'data-kind="(\w+)" data-start="([^"]+)"', svg)
    assert segments == [
        ("stable", "2024-01-01T00:00:00+00:00"),
        ("deprecated", "2026-06-01T00:00:00+00:00"),
        ("retired", "2027-06-01T00:00:00+00:00"),
        ("brownout", "2027-01-10T09:00:00+00:00"),
        ("stable", "2025-01-01T00:00:00+00:00"),
        ("preview", "2026-11-29T00:00:00+00:00"),
    ]
    assert "Brownout 2027-01-10 09:00 to 2027-01-10 10:00 UTC" in svg
    assert "Today, 2026-11-29" in svg
    assert "style=" not in svg
    xs = [float(x) for x in re.findall(r'class="va-segment[^"]*" x="([\d.]+)"', svg)]
    assert xs[0] < xs[4] < xs[1] < xs[3] < xs[2]  # 2024 < 2025 < mid-2026 < 2027-01 < 2027-06


def test_a_retired_version_is_gone_from_today_when_retired_before_its_sunset() -> None:
    now = datetime.datetime(2026, 11, 29, tzinfo=UTC)
    svg = timeline(
        [
            TimelineVersion(
                "0.9",
                "retired",
                released_at=datetime.datetime(2023, 1, 1, tzinfo=UTC),
                deprecated_at=datetime.datetime(2026, 1, 1, tzinfo=UTC),
                sunset_at=datetime.datetime(2027, 1, 1, tzinfo=UTC),
            )
        ],
        now=now,
    )
    assert re.findall(r'data-kind="(\w+)" data-start="([^"]+)"', svg)[-1] == (
        "retired",
        now.isoformat(),
    )


def test_numbers_in_the_svg_stay_numbers_in_a_language_with_a_decimal_comma() -> None:
    # German writes 123,4 and 2.023: SVG coordinates must not follow the active language.
    now = datetime.datetime(2026, 11, 29, tzinfo=UTC)
    with translation.override("de"):
        svg = (
            sparkline([1, 7, 3], version="1.0")
            + daily_bars(DAYS, {"1.0": [1000, 0, 3]})
            + timeline(
                [
                    TimelineVersion(
                        "2.0", "stable", datetime.datetime(2023, 1, 1, tzinfo=UTC), None, None
                    )
                ],
                now=now,
            )
        )
    for name, value in re.findall(r'\b(x|y|x1|x2|width|height|points)="([^"]*)"', svg):
        assert "," not in value or name == "points", (name, value)
        if name == "points":
            assert all(pair.count(",") == 1 for pair in value.split()), value
    assert ">2024</text>" in svg  # a year is not 2.024
    assert "1.000 Anfragen" in svg  # while the words and figures people read are German

"""``api_lifecycle brownout`` and ``api_lifecycle policy`` (issue 16 items 1, 2)."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from versioning_app import lifecycle
from versioning_app.lifecycle.brownouts import escalation_plan, in_share
from versioning_app.models import Brownout, VersionLifecycle
from versioning_app.testing import lifecycle_at

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2031, 3, 1, 12, 0, tzinfo=datetime.UTC)


def run(*args: str) -> str:
    out = StringIO()
    with lifecycle_at(NOW):
        call_command("api_lifecycle", *args, stdout=out)
    return out.getvalue()


def test_brownout_now_for_some_minutes(spec_lifecycle: None) -> None:
    out = run("brownout", "1.1", "--start", "now", "--minutes", "30")
    assert "Brownout of 1.1 scheduled: 2031-03-01 12:00 to 2031-03-01 12:30 UTC." in out
    window = Brownout.objects.get()
    assert (window.version.version, window.starts_at, window.ends_at) == (
        "1.1",
        NOW,
        NOW + datetime.timedelta(minutes=30),
    )
    assert window.route == "" and window.share is None


def test_brownout_of_one_endpoint_for_a_share(spec_lifecycle: None) -> None:
    run(
        "brownout", "1.0", "--start", "2031-03-02T09:00+01:00", "--minutes", "60",
        "--endpoint", "book-list", "--share", "25",
    )  # fmt: skip
    window = Brownout.objects.get()
    assert window.starts_at == datetime.datetime(2031, 3, 2, 8, 0, tzinfo=datetime.UTC)
    assert (window.route, window.share) == ("book-list", 25)


def test_brownout_plan_escalates_before_the_sunset(spec_lifecycle: None) -> None:
    lifecycle.deprecate("1.1", sunset_at=datetime.datetime(2031, 6, 1, tzinfo=datetime.UTC))
    out = run("brownout", "1.1", "--plan")
    assert "Planned 3 brownouts of 1.1" in out
    windows = list(Brownout.objects.order_by("starts_at"))
    lengths = [(w.ends_at - w.starts_at) / datetime.timedelta(hours=1) for w in windows]
    assert lengths == [1, 4, 24]
    assert [w.starts_at.date().isoformat() for w in windows] == [
        "2031-05-11", "2031-05-18", "2031-05-25"
    ]  # fmt: skip


def test_plan_with_own_hours_and_spacing() -> None:
    sunset = datetime.datetime(2031, 6, 1, tzinfo=datetime.UTC)
    plan = escalation_plan(sunset, NOW, hours=[2, 8], apart=datetime.timedelta(days=3))
    assert plan == [
        (sunset - datetime.timedelta(days=6), sunset - datetime.timedelta(days=6, hours=-2)),
        (sunset - datetime.timedelta(days=3), sunset - datetime.timedelta(days=3, hours=-8)),
    ]
    # Windows already started are left out.
    assert len(escalation_plan(sunset, sunset - datetime.timedelta(days=10))) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("brownout", "0.9", "--start", "now", "--minutes", "5"), "retired"),
        (("brownout", "2.1", "--start", "now", "--minutes", "5"), "no successor"),
        (("brownout", "1.1", "--start", "now", "--minutes", "20000"), "at most 7 days"),
        (("brownout", "1.1", "--start", "2020-01-01", "--minutes", "5"), "already be over"),
        (("brownout", "1.1", "--start", "2100-01-01", "--minutes", "5"), "sunset"),
        (
            ("brownout", "1.1", "--start", "now", "--minutes", "5", "--endpoint", "nope"),
            "not an endpoint",
        ),
        (
            ("brownout", "1.1", "--start", "now", "--minutes", "5", "--endpoint", "author-list"),
            "not an endpoint",
        ),
        (
            (
                "brownout",
                "1.1",
                "--start",
                "now",
                "--minutes",
                "5",
                "--share",
                "5",
                "--client",
                "a",
            ),
            "not both",
        ),
        (("brownout", "1.1", "--start", "tomorrow", "--minutes", "5"), "is not a moment"),
        (("brownout", "1.1", "--minutes", "5"), "needs --start"),
        (("brownout", "1.1", "--plan"), "no sunset date"),  # 2099 is fine; see below
        (("brownout", "1.1", "--plan", "--start", "now"), "leave out"),
        (("brownout", "1.1", "--plan", "--plan-hours", "1,x"), "whole hours"),
        (("retire", "1.1", "--minutes", "5"), "do not apply to retire"),
        (("policy", "1.1", "--start", "now"), "do not apply to policy"),
        (("policy", "1.1"), "needs --read-only"),
        (("policy", "2.1", "--read-only", "on"), "no successor"),
    ],
)
def test_refusals_explain_and_save_nothing(
    spec_lifecycle: None, args: tuple[str, ...], message: str
) -> None:
    if args[:3] == ("brownout", "1.1", "--plan") and message == "no sunset date":
        VersionLifecycle.objects.filter(version="1.1").update(sunset_at=None)
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not Brownout.objects.exists()
    assert not VersionLifecycle.objects.filter(read_only=True).exists()


def test_a_plan_too_close_to_the_sunset_is_refused(spec_lifecycle: None) -> None:
    lifecycle.deprecate("1.1", sunset_at=NOW + datetime.timedelta(days=2))
    with pytest.raises(CommandError, match="too close"):
        run("brownout", "1.1", "--plan")
    assert not Brownout.objects.exists()


def test_policy_on_and_off(spec_lifecycle: None) -> None:
    out = run("policy", "1.1", "--read-only", "on", "--no-new-clients-after", "2031-04-01")
    assert out.strip() == "1.1: read-only, no new clients after 2031-04-01 00:00 UTC."
    row = VersionLifecycle.objects.get(version="1.1")
    assert row.read_only and row.new_clients_until == datetime.datetime(
        2031, 4, 1, tzinfo=datetime.UTC
    )
    out = run("policy", "1.1", "--read-only", "off", "--no-new-clients-after", "never")
    assert out.strip() == "1.1: writable, new clients welcome."


def test_share_membership_is_a_function_of_the_key_and_nests() -> None:
    keys = [f"k{index}" for index in range(1000)]
    ten = {key for key in keys if in_share(key, 10)}
    twenty_five = {key for key in keys if in_share(key, 25)}
    assert ten <= twenty_five
    assert 50 < len(ten) < 150 and 180 < len(twenty_five) < 320
    assert all(in_share(key, 100) for key in keys)

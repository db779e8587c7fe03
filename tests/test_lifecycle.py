"""The lifecycle rules: allowed transitions, refusals that say why and save nothing."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.support.factories import DeprecatedVersionFactory, VersionLifecycleFactory
from versioning_app import lifecycle
from versioning_app.lifecycle import TransitionRefused
from versioning_app.models import Status, VersionLifecycle
from versioning_app.versions import VersionNumber

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def row(version: str) -> VersionLifecycle:
    return VersionLifecycle.objects.get(version=version)


def snapshot_of(version: str) -> tuple:
    r = row(version)
    return (
        r.status,
        r.released_at,
        r.deprecated_at,
        r.sunset_at,
        r.successor_id,
        r.documentation_url,
    )


def test_rows_exist_for_every_declared_version_after_migrate() -> None:
    assert list(VersionLifecycle.objects.values_list("version", flat=True)) == [
        "0.9", "1.0", "1.1", "2.0", "2.1", "3.0",
    ]  # fmt: skip


def test_full_chain_preview_stable_deprecated_retired() -> None:
    VersionLifecycleFactory(version="3.0", status=Status.PREVIEW, released_at=None)
    assert lifecycle.stabilize("3.0", released_at=NOW).released_at == NOW
    deprecated = lifecycle.deprecate(
        "1.0",
        deprecated_at=NOW,
        sunset_at=NOW + datetime.timedelta(days=30),
        successor="2.0",
        documentation_url="https://docs.example.com/v2",
    )
    assert (deprecated.status, deprecated.successor.version) == (Status.DEPRECATED, "2.0")
    assert row("1.0").sunset_at == NOW + datetime.timedelta(days=30)
    assert lifecycle.retire("1.0").status == Status.RETIRED
    assert row("1.0").status == Status.RETIRED


def test_deprecate_defaults_to_now_and_accepts_numbers_and_rows() -> None:
    before = timezone.now()
    lifecycle.deprecate(VersionNumber(1, 0), successor=row("2.1"))
    assert row("1.0").deprecated_at >= before
    assert row("1.0").successor.version == "2.1"


def test_redeprecating_updates_dates_and_keeps_what_is_not_given() -> None:
    lifecycle.deprecate(
        "1.0", deprecated_at=NOW, successor="2.0", documentation_url="https://a.example"
    )
    lifecycle.deprecate("1.0", sunset_at=NOW + datetime.timedelta(days=10))
    r = row("1.0")
    assert (r.deprecated_at, r.sunset_at, r.successor.version, r.documentation_url) == (
        NOW, NOW + datetime.timedelta(days=10), "2.0", "https://a.example",
    )  # fmt: skip


def test_naive_datetimes_are_taken_as_utc() -> None:
    lifecycle.deprecate("1.0", deprecated_at=datetime.datetime(2026, 1, 1))
    assert row("1.0").deprecated_at == NOW


def test_cancel_deprecation_makes_it_stable_and_clears_the_dates() -> None:
    DeprecatedVersionFactory(version="1.0")
    lifecycle.cancel_deprecation("1.0")
    r = row("1.0")
    assert (r.status, r.deprecated_at, r.sunset_at, r.successor) == (
        Status.STABLE,
        None,
        None,
        None,
    )


@pytest.mark.parametrize(
    ("setup", "call", "message"),
    [
        (
            {},
            lambda: lifecycle.deprecate(
                "1.0", deprecated_at=NOW, sunset_at=NOW - datetime.timedelta(days=1)
            ),
            "The sunset of 1.0 (2025-12-31 00:00 UTC) is before its deprecation",
        ),
        (
            {},
            lambda: lifecycle.deprecate("2.0", successor="1.1"),
            "must be a newer version; 1.1 is not",
        ),
        ({}, lambda: lifecycle.deprecate("2.0", successor="2.0"), "must be a newer version"),
        (
            {"0.9": {"status": Status.RETIRED}},
            lambda: lifecycle.deprecate("1.0", successor="0.9"),
            "must be a newer version",
        ),
        (
            {"3.0": {"status": Status.RETIRED}},
            lambda: lifecycle.deprecate("2.0", successor="3.0"),
            "3.0 is retired and cannot be the successor of 2.0",
        ),
        ({}, lambda: lifecycle.retire("1.0"), "Only a deprecated version can be retired"),
        ({}, lambda: lifecycle.stabilize("2.0"), "Only a preview version can be marked stable"),
        (
            {"1.0": {"status": Status.DEPRECATED, "deprecated_at": NOW}},
            lambda: lifecycle.stabilize("1.0"),
            "cancel its deprecation",
        ),
        ({}, lambda: lifecycle.cancel_deprecation("2.0"), "2.0 is stable, not deprecated"),
        (
            {"3.0": {"status": Status.PREVIEW}},
            lambda: lifecycle.deprecate("3.0"),
            "3.0 is a preview; mark it stable before deprecating it",
        ),
        (
            {"0.9": {"status": Status.RETIRED}},
            lambda: lifecycle.deprecate("0.9"),
            "0.9 is retired; it cannot be deprecated again",
        ),
        ({"0.9": {"status": Status.RETIRED}}, lambda: lifecycle.retire("0.9"), "already retired"),
        ({}, lambda: lifecycle.deprecate("7.0"), "Version 7.0 has no lifecycle row"),
        ({}, lambda: lifecycle.deprecate("latest"), "is not a version"),
    ],
)
def test_refusals_say_why_and_save_nothing(setup: dict, call, message: str) -> None:
    for version, fields in setup.items():
        VersionLifecycleFactory(version=version, **fields)
    before = {v: snapshot_of(v) for v in ("0.9", "1.0", "1.1", "2.0", "2.1", "3.0")}
    with pytest.raises(TransitionRefused, match=message.replace("(", r"\(").replace(")", r"\)")):
        call()
    assert {v: snapshot_of(v) for v in before} == before


def test_never_deprecates_or_retires_the_last_stable_version() -> None:
    for version in ("0.9", "1.0", "1.1", "2.0", "2.1"):
        DeprecatedVersionFactory(version=version, successor=None)
    with pytest.raises(
        TransitionRefused, match=r"Cannot deprecate 3\.0: it is the last stable version"
    ):
        lifecycle.deprecate("3.0")
    with pytest.raises(
        TransitionRefused, match=r"Cannot retire 3\.0: it is the last stable version"
    ):
        lifecycle.retire("3.0")
    assert row("3.0").status == Status.STABLE


def test_a_successor_cannot_be_retired_while_its_predecessor_still_points_at_it() -> None:
    DeprecatedVersionFactory(version="1.0")  # successor 2.0
    DeprecatedVersionFactory(version="2.0", successor=row("3.0"))
    with pytest.raises(TransitionRefused, match=r"2\.0 is the successor of 1\.0; give it another"):
        lifecycle.retire("2.0")
    lifecycle.deprecate("1.0", successor="2.1")
    assert lifecycle.retire("2.0").status == Status.RETIRED


def test_version_state_reads_the_snapshot() -> None:
    DeprecatedVersionFactory(version="1.1")
    state = lifecycle.version_state(VersionNumber(1, 1))
    assert (state.status, state.successor) == ("deprecated", VersionNumber(2, 0))
    assert lifecycle.get_snapshot().version(VersionNumber(2, 1)).status == "stable"

"""``manage.py api_lifecycle``: the same rules as the admin; refusals are CommandErrors."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.support.factories import DeprecatedVersionFactory, VersionLifecycleFactory
from versioning_app.models import Status, VersionLifecycle

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def run(*args: str) -> str:
    out = StringIO()
    call_command("api_lifecycle", *args, stdout=out)
    return out.getvalue()


def row(version: str) -> VersionLifecycle:
    return VersionLifecycle.objects.get(version=version)


def test_deprecate_with_sunset_successor_and_link() -> None:
    out = run(
        "deprecate", "1.0", "--deprecated-at", "2026-01-01", "--sunset", "2026-07-01T12:00",
        "--successor", "2.0", "--link", "https://docs.example.com/v2",
    )  # fmt: skip
    assert "1.0 is now deprecated." in out
    r = row("1.0")
    assert r.deprecated_at == datetime.datetime(2026, 1, 1, tzinfo=UTC)
    assert r.sunset_at == datetime.datetime(2026, 7, 1, 12, tzinfo=UTC)
    assert (r.successor.version, r.documentation_url) == ("2.0", "https://docs.example.com/v2")


def test_retire_stabilize_and_cancel() -> None:
    DeprecatedVersionFactory(version="0.9")
    assert "0.9 is now retired." in run("retire", "0.9")
    VersionLifecycleFactory(version="3.0", status=Status.PREVIEW, released_at=None)
    assert "3.0 is now stable." in run("stabilize", "3.0")
    assert row("3.0").released_at is not None
    DeprecatedVersionFactory(version="1.0")
    assert "1.0 is now stable." in run("cancel", "1.0")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["retire", "2.0"], "Only a deprecated version can be retired; deprecate 2.0 first."),
        (["deprecate", "2.0", "--successor", "1.0"], "must be a newer version; 1.0 is not"),
        (
            ["deprecate", "1.0", "--deprecated-at", "2026-02-01", "--sunset", "2026-01-01"],
            "is before its deprecation",
        ),
        (["deprecate", "1.0", "--sunset", "next week"], "is not a date"),
        (["deprecate", "1.0", "--link", "javascript:alert(1)"], "--link must be an http(s) URL"),
        (["retire", "1.0", "--sunset", "2026-01-01"], "--sunset only apply to deprecate"),
        (["stabilize", "9.9"], "Version 9.9 has no lifecycle row"),
    ],
)
def test_refusals_are_command_errors_and_save_nothing(args: list[str], message: str) -> None:
    before = list(VersionLifecycle.objects.values_list("status", "deprecated_at", "sunset_at"))
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run(*args)
    assert (
        list(VersionLifecycle.objects.values_list("status", "deprecated_at", "sunset_at")) == before
    )


def test_the_last_stable_version_is_never_deprecated() -> None:
    for version in ("0.9", "1.0", "1.1", "2.0", "2.1"):
        DeprecatedVersionFactory(version=version, successor=None)
    with pytest.raises(CommandError, match="it is the last stable version"):
        run("deprecate", "3.0")


def test_unknown_action_is_rejected() -> None:
    with pytest.raises(CommandError, match="invalid choice"):
        run("delete", "1.0")

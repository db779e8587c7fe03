"""VersionNumber parsing and ordering; VersionBundle validation and queries."""

from __future__ import annotations

import copy
import pickle

import pytest

from versioning_app import Version, VersionBundle, VersionNumber
from versioning_app.changes import EndpointAdded
from versioning_app.versions import (
    VersionDeclarationError,
    major_from_namespace,
    namespace_for,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2.1", (2, 1)),
        ("0.9", (0, 9)),
        ("2.1.7", (2, 1)),  # a patch is accepted and ignored
        ("1.10", (1, 10)),
        ("9999.9999", (9999, 9999)),
    ],
)
def test_parse_accepts(text: str, expected: tuple[int, int]) -> None:
    number = VersionNumber.parse(text)
    assert (number.major, number.minor) == expected


@pytest.mark.parametrize(
    "value",
    [
        "1.0.0.0.0",
        "1.0.0.0",
        "01.0",
        "1.01",
        "\u0661.\u0660",  # Arabic-Indic digits
        "\uff12.\uff10",  # fullwidth digits
        "1." + "0" * 15,  # 17 characters
        "1",
        "",
        "1.",
        ".1",
        "1..0",
        "-1.0",
        "+1.0",
        " 1.0",
        "1.0 ",
        "v1.0",
        "1e3",
        "0x1.0",
        "10000.0",
        None,
        1.0,
        b"1.0",
        ["1", "0"],
    ],
)
def test_parse_rejects(value: object) -> None:
    with pytest.raises(ValueError, match="version"):
        VersionNumber.parse(value)


def test_parse_major_only_when_allowed() -> None:
    assert VersionNumber.parse("2", allow_major_only=True) == VersionNumber(2, 0)


@pytest.mark.parametrize(
    ("older", "newer"),
    [("1.9", "1.10"), ("0.9", "1.0"), ("1.99", "2.0"), ("2.0", "2.1"), ("9.9", "10.0")],
)
def test_numeric_ordering(older: str, newer: str) -> None:
    assert VersionNumber.parse(older) < VersionNumber.parse(newer)
    assert sorted([newer, older], key=VersionNumber.parse) == [older, newer]


def test_ordering_covers_every_operator_and_refuses_other_types() -> None:
    low, high = VersionNumber(1, 9), VersionNumber(1, 10)
    assert low < high and low <= high and high > low and high >= low
    assert low <= VersionNumber(1, 9) >= low
    assert not (high < low or high <= low or low > high or low >= high)
    with pytest.raises(TypeError):
        assert low < "1.10"  # type: ignore[operator]
    assert low != "1.9"
    # A named tuple: it equals the plain tuple of its parts (the package never mixes them).
    assert low == (1, 9) and low < (1, 10)


def test_equal_numbers_are_one_value_however_they_are_made() -> None:
    number = VersionNumber(2, 1)
    made = [
        VersionNumber.parse("2.1"),
        VersionNumber.parse("2.1.7"),
        VersionNumber(major=2, minor=1),
        copy.copy(number),
        copy.deepcopy(number),
        pickle.loads(pickle.dumps(number)),
        VersionNumber(2, 2)._replace(minor=1),
    ]
    for other in made:
        assert other == number and hash(other) == hash(number)
        assert type(other) is VersionNumber
        assert str(other) == "2.1"
    assert number._replace(minor=2) == VersionNumber(2, 2)
    assert {number: "found"}[VersionNumber.parse("2.1")] == "found"
    assert VersionNumber.parse("2.1") in {VersionNumber(1, 0), VersionNumber(2, 1)}
    assert VersionNumber(2, 1) != VersionNumber(2, 2)
    assert hash(VersionNumber(2, 1)) != hash(VersionNumber(1, 2))


@pytest.mark.parametrize(
    "make",
    [
        lambda: VersionNumber(2.0, 1),  # type: ignore[arg-type]
        lambda: VersionNumber("2", 1),  # type: ignore[arg-type]
        lambda: VersionNumber(2, None),  # type: ignore[arg-type]
        lambda: VersionNumber(True, 1),
        lambda: VersionNumber(2, False),
        lambda: VersionNumber(2, 1)._replace(minor=2.0),
        lambda: VersionNumber._make(["2", "1"]),
    ],
)
def test_version_number_takes_two_integers(make) -> None:
    with pytest.raises(TypeError, match="two integers"):
        make()


def test_version_number_is_immutable_and_shares_nothing() -> None:
    shared = VersionNumber.parse("2.1")
    with pytest.raises(AttributeError):
        shared.minor = 2  # type: ignore[misc]
    with pytest.raises(AttributeError):
        shared.note = "mine"  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        VersionNumber(2.0, 1)  # type: ignore[arg-type]
    # Neither a refused nor an accepted construction touches the number parse() shares.
    assert VersionNumber(2, 1) == shared
    assert repr(VersionNumber.parse("2.1")) == "VersionNumber(major=2, minor=1)"
    assert type(VersionNumber.parse("2.1").major) is int
    assert str(VersionNumber(2, 1)) == "2.1"


def test_str_and_namespace() -> None:
    number = VersionNumber.parse("2.1.7")
    assert str(number) == "2.1"
    assert number.namespace == namespace_for(2) == "v2"
    assert repr(Version("2.1")) == "Version('2.1')"


@pytest.mark.parametrize(
    ("namespace", "major"),
    [
        ("v0", 0),
        ("v2", 2),
        ("v12", 12),
        ("v02", None),
        ("2", None),
        ("V2", None),
        ("v2.0", None),
        ("v\u0662", None),
        ("admin", None),
        ("v", None),
    ],
)
def test_major_from_namespace(namespace: str, major: int | None) -> None:
    assert major_from_namespace(namespace) == major


@pytest.mark.parametrize(
    ("declare", "check_id"),
    [
        (lambda: VersionBundle(), "versioning_app.E013"),
        (lambda: VersionBundle(Version("1.0"), Version("x")), "versioning_app.E002"),
        (lambda: Version("1.0.0.0"), "versioning_app.E002"),
        (lambda: Version(2), "versioning_app.E002"),
        (lambda: VersionBundle(Version("1.0"), Version("1.0.3")), "versioning_app.E003"),
        (lambda: VersionBundle(Version("1.10"), Version("1.9")), "versioning_app.E004"),
        (lambda: VersionBundle(Version("2.0"), Version("1.0")), "versioning_app.E004"),
        (lambda: VersionBundle(Version("1.0", EndpointAdded("x"))), "versioning_app.E005"),
    ],
)
def test_bad_declarations(declare, check_id: str) -> None:
    with pytest.raises(VersionDeclarationError) as raised:
        declare()
    assert raised.value.check_id == check_id
    assert str(raised.value)


@pytest.fixture
def bundle() -> VersionBundle:
    return VersionBundle(
        Version("0.9"),
        Version("1.0"),
        Version("1.9"),
        Version("1.10"),
        Version("2.0"),
        Version("3.0"),
    )


def test_bundle_queries(bundle: VersionBundle) -> None:
    assert [str(v) for v in bundle] == ["0.9", "1.0", "1.9", "1.10", "2.0", "3.0"]
    assert len(bundle) == 6
    assert str(bundle.head) == "3.0"
    assert {major: [str(v) for v in minors] for major, minors in bundle.majors.items()} == {
        0: ["0.9"],
        1: ["1.0", "1.9", "1.10"],
        2: ["2.0"],
        3: ["3.0"],
    }
    assert str(bundle.newest_in_major(1)) == "1.10"
    assert bundle.newest_in_major(4) is None
    assert [str(v) for v in bundle.newer_than(VersionNumber(1, 9))] == ["1.10", "2.0", "3.0"]
    assert bundle.newer_than(VersionNumber(3, 0)) == []
    assert VersionNumber(1, 10) in bundle
    assert VersionNumber(1, 2) not in bundle
    assert bundle.get(VersionNumber(2, 0)) is bundle.versions[4]
    assert bundle.get(VersionNumber(2, 1)) is None

"""Version numbers (parse, order) and the project's declared bundle of versions."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import cached_property, lru_cache
from typing import Any, NamedTuple, Self

from django.core.exceptions import ImproperlyConfigured

from versioning_app.changes import HTTP_METHODS, Change, EndpointChange

# Client-supplied tokens are checked against this before anything else looks at them,
# so an attacker cannot make us parse (or log) a 10 kB header.
MAX_TOKEN_LENGTH = 16
_PART = r"(0|[1-9][0-9]{0,3})"
_VERSION_RE = re.compile(rf"{_PART}(?:\.{_PART}(?:\.{_PART})?)?", re.ASCII)
_NAMESPACE_RE = re.compile(rf"v{_PART}", re.ASCII)


class VersionDeclarationError(ImproperlyConfigured):
    """A malformed version declaration; carries the system check id that reports it."""

    def __init__(self, message: str, *, check_id: str) -> None:
        super().__init__(message)
        self.check_id = check_id


class _Numbers(NamedTuple):
    major: int
    minor: int


class VersionNumber(_Numbers):
    """A ``MAJOR.MINOR`` version: an immutable value, ordered numerically (``1.10 > 1.9``).

    A named tuple, so hashing, equality and ordering are the tuple's own C code: the request
    path looks numbers up in dicts and sets several times per request (a pair of lookups
    with an equal but distinct key: 230-250 ns, against 1.2-1.9 us for a frozen dataclass).
    Like any tuple it equals the plain tuple ``(2, 1)``; the package never mixes the two.
    """

    __slots__ = ()

    def __new__(cls, major: int, minor: int) -> Self:
        if not (_is_int(major) and _is_int(minor)):
            raise TypeError("VersionNumber(major, minor) takes two integers.")
        return super().__new__(cls, major, minor)

    @classmethod
    def _make(cls, iterable: Iterable[Any]) -> Self:  # type: ignore[override]
        # The named tuple's own _make (behind _replace and copy.replace) skips __new__.
        return cls(*iterable)

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}"

    @classmethod
    def parse(cls, value: object, *, allow_major_only: bool = False) -> VersionNumber:
        """Parse ``"2.1"`` (a ``.PATCH`` is ignored); raise ``ValueError`` if it is not one."""
        if not isinstance(value, str) or len(value) > MAX_TOKEN_LENGTH or not value.isascii():
            raise ValueError("not a version")
        return _parse(value, allow_major_only)

    @property
    def namespace(self) -> str:
        """The URL namespace of this version's major, e.g. ``v2``."""
        return namespace_for(self.major)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@lru_cache(maxsize=256)
def _parse(value: str, allow_major_only: bool) -> VersionNumber:
    # Memoized: the same few strings arrive on every request (headers, settings, database rows).
    # A hit costs 0.19 us against 1.1 us for the regex, the ints and the construction (timeit on
    # a quiet core); bounded, because the header's text is the client's.
    match = _VERSION_RE.fullmatch(value)
    if match is None:
        raise ValueError("not a version")
    major, minor, _patch = match.groups()
    if minor is None and not allow_major_only:
        raise ValueError("a version needs MAJOR.MINOR")
    return VersionNumber(int(major), int(minor or 0))


def namespace_for(major: int) -> str:
    """The URL namespace (and path segment) of a major version."""
    return f"v{major}"


def major_from_namespace(namespace: str) -> int | None:
    """The major that a ``vN`` namespace names, or ``None`` if it is not one of ours."""
    match = _NAMESPACE_RE.fullmatch(namespace)
    return int(match.group(1)) if match else None


class Version:
    """One declared version: its number and the changes it introduced over the one before."""

    def __init__(self, number: str, *changes: Change, description: str = "") -> None:
        try:
            self.number = VersionNumber.parse(number)
        except ValueError:
            raise VersionDeclarationError(
                f"{number!r} is not a version; declare versions as 'MAJOR.MINOR', e.g. '2.1'.",
                check_id="versioning_app.E002",
            ) from None
        self.changes: tuple[Change, ...] = changes
        self.description = description

    def __str__(self) -> str:
        return str(self.number)

    def __repr__(self) -> str:
        return f"Version({str(self.number)!r})"

    @property
    def major(self) -> int:
        """The major of this version."""
        return self.number.major


class VersionBundle:
    """The project's versions, oldest first; the last one is head."""

    def __init__(self, *versions: Version) -> None:
        if not versions:
            raise VersionDeclarationError(
                "A VersionBundle needs at least one Version.", check_id="versioning_app.E013"
            )
        numbers = [version.number for version in versions]
        duplicates = sorted({str(n) for n in numbers if numbers.count(n) > 1})
        if duplicates:
            raise VersionDeclarationError(
                f"Versions declared more than once: {', '.join(duplicates)}.",
                check_id="versioning_app.E003",
            )
        if numbers != sorted(numbers):
            raise VersionDeclarationError(
                "Versions must be declared oldest first; declared order: "
                f"{', '.join(map(str, numbers))}.",
                check_id="versioning_app.E004",
            )
        if versions[0].changes:
            raise VersionDeclarationError(
                f"The first version, {versions[0]}, has nothing before it to change: "
                "declare its changes on a later version.",
                check_id="versioning_app.E005",
            )
        self.versions: tuple[Version, ...] = versions
        self._by_number = {version.number: version for version in versions}
        self.caches = BundleCaches()

    def __iter__(self) -> Iterator[Version]:
        return iter(self.versions)

    def __len__(self) -> int:
        return len(self.versions)

    def __contains__(self, number: object) -> bool:
        return number in self._by_number

    @property
    def head(self) -> Version:
        """The newest declared version."""
        return self.versions[-1]

    def get(self, number: VersionNumber) -> Version | None:
        """The declared version with this number, if any."""
        return self._by_number.get(number)

    @cached_property
    def majors(self) -> dict[int, tuple[Version, ...]]:
        """Each major with its minors, oldest first."""
        majors: dict[int, list[Version]] = {}
        for version in self.versions:
            majors.setdefault(version.major, []).append(version)
        return {major: tuple(minors) for major, minors in majors.items()}

    def newest_in_major(self, major: int) -> Version | None:
        """The version a request to this major is served at (its newest minor)."""
        minors = self.majors.get(major)
        return minors[-1] if minors else None

    def served(self, major: int, pinned: str | None) -> Version | None:
        """What a request to ``major`` is served at: the minor ``pinned`` names, else its newest.

        ``pinned`` is the raw version header (``None`` when absent); ``None`` comes back when
        the major does not exist or the header does not name one of its minors.
        """
        served = self.caches.served
        try:
            return served[(major, pinned)]
        except KeyError:
            pass
        version = self.newest_in_major(major)
        if pinned and version is not None:
            try:
                version = self.get(VersionNumber.parse(pinned))
            except ValueError:
                version = None
            if version is not None and version.major != major:
                version = None
        # Once per request: a kept answer costs 0.11 us against 0.5 us (no header) to 1.0 us
        # (a pinned minor) worked out. Only answers are kept, so bad headers add nothing.
        if version is not None and len(served) < _MAX_SERVED:
            served[(major, pinned)] = version
        return version

    def newer_than(self, number: VersionNumber) -> Sequence[Version]:
        """The versions after ``number``, oldest first."""
        return [version for version in self.versions if version.number > number]

    @cached_property
    def endpoints(self) -> EndpointIndex:
        """Which route and method each version serves, from the declared endpoint changes."""
        return EndpointIndex(self)


class BundleCaches:
    """What is derived from one bundle while serving, kept on it: it lives and dies with it.

    ``served`` holds the answers of :meth:`VersionBundle.served`, and ``decisions`` and
    ``announced`` the versioning class's remembered decisions; their keys carry the client's
    header, method (and path), so all three are capped. ``serializer_changes`` and ``chains``
    are filled by :mod:`versioning_app.chain`; their keys are serializer classes and declared
    versions, so the code bounds them. A new bundle (another ``VERSIONS``, a test's bundle)
    starts empty.
    """

    __slots__ = ("announced", "chains", "decisions", "query_plans", "serializer_changes", "served")

    def __init__(self) -> None:
        self.served: dict[tuple[int, str | None], Version] = {}
        #: (namespace, version header, route, method) -> (the lifecycle snapshot it was made
        #: under, the ``decision.Decision`` of a request served with nothing to announce);
        #: filled by ``versioning``.
        self.decisions: dict[tuple[str, str | None, str | None, str | None], Any] = {}
        #: The same key plus the request's path -> (snapshot, decision) of a request served
        #: with something to announce (deprecated, preview): its successor link is per resource.
        self.announced: dict[tuple[str, str | None, str | None, str | None, str], Any] = {}
        self.serializer_changes: dict[type, bool] = {}
        #: (serializer class, version) -> its ``chain.VersionChain``, or ``None`` at head
        self.chains: dict[tuple[type, VersionNumber], Any] = {}
        #: (view class, version) -> its ``query.plan.QueryPlan``; filled by ``query.translate``
        self.query_plans: dict[tuple[type, VersionNumber], Any] = {}


_MAX_SERVED = 1024  # a client may spell one answer many ways: "2.1.0" to "2.1.9999"
MAX_DECISIONS = 4096  # header spellings times routes times methods, all client-chosen
MAX_ANNOUNCED = 2048  # the same times the resources a client asks for: emptied when full
MAX_ANNOUNCED_PATH = 512  # a longer path is decided afresh each time, never kept


class EndpointIndex:
    """Answers "does version V serve method M on route R?" from the declared endpoint changes.

    Every answer is computed when the index is built: each route that an endpoint change names,
    times each HTTP method, times each declared version (126 booleans for the example project).
    A method or a version outside the table, which a client may send, is answered on the spot
    and not stored. A table answer costs 0.15 us against 0.58 us worked out.
    """

    def __init__(self, bundle: VersionBundle) -> None:
        self._changes: dict[str, list[tuple[VersionNumber, EndpointChange]]] = {}
        for version in bundle:
            for change in version.changes:
                if isinstance(change, EndpointChange):
                    self._changes.setdefault(change.route, []).append((version.number, change))
        self._table: dict[tuple[str, str, VersionNumber], bool] = {
            (route, method, version.number): self._compute(route, method, version.number)
            for route in self._changes
            for method in HTTP_METHODS
            for version in bundle
        }
        #: Every route name that some endpoint change mentions.
        self.routes = frozenset(self._changes)
        #: The routes whose changes name particular HTTP methods.
        self.method_routes = frozenset(
            route
            for route, changes in self._changes.items()
            if any(change.methods is not None for _, change in changes)
        )

    def available(self, route: str, method: str, number: VersionNumber) -> bool:
        """Whether ``method`` on ``route`` exists in version ``number`` (unchanged routes do)."""
        if route not in self._changes:
            return True  # most routes: never added or removed by any version
        answer = self._table.get((route, method, number))
        return self._compute(route, method, number) if answer is None else answer

    def _compute(self, route: str, method: str, number: VersionNumber) -> bool:
        changes = [
            (at, change)
            for at, change in self._changes.get(route, ())
            if change.applies_to(route, method)
        ]
        at_or_before = [change for at, change in changes if at <= number]
        if at_or_before:
            return at_or_before[-1].present_from_here
        # Only later changes: the endpoint is as it was before the first of them.
        return not changes[0][1].present_from_here if changes else True

    def route_in_version(
        self, route: str, number: VersionNumber, methods: Iterable[str] | None = None
    ) -> bool:
        """Whether version ``number`` serves ``route`` with at least one method.

        ``methods`` are the methods the route's view has (DRF's ``allowed_methods``); OPTIONS
        among them only describes the route, so it does not count. Without them, any known
        method counts, including those no change names (which every version has).
        """
        if methods is None:
            return any(self.available(route, method, number) for method in HTTP_METHODS)
        return any(
            self.available(route, "GET" if method == "HEAD" else method, number)
            for method in methods
            if method != "OPTIONS"
        )

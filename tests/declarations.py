"""Version declarations for the tests, built on attribute access so that each bad one is
importable by dotted path (``tests.declarations.UNORDERED``) without breaking the others."""

from __future__ import annotations

from versioning_app import Version, VersionBundle
from versioning_app.changes import EndpointAdded, EndpointRemoved

# book-list POST arrives in 1.1; book-detail DELETE leaves in 2.1;
# book-similar leaves in 2.0 and comes back in 2.1 (method-level and route-level changes).
METHOD_LEVEL = VersionBundle(
    Version("1.0"),
    Version("1.1", EndpointAdded("book-list", "POST")),
    Version("2.0", EndpointRemoved("book-similar")),
    Version("2.1", EndpointRemoved("book-detail", "DELETE"), EndpointAdded("book-similar")),
)

# The settings that serve the library routes versioned by METHOD_LEVEL.
METHOD_LEVEL_SETTINGS = {
    "ROOT_URLCONF": "tests.urlconfs.method_level",
    "VERSIONING_APP": {"VERSIONS": "tests.declarations.METHOD_LEVEL"},
}

_BUILDERS = {
    "EMPTY": lambda: VersionBundle(),
    "MALFORMED": lambda: VersionBundle(Version("1.0"), Version("two")),
    "DUPLICATED": lambda: VersionBundle(Version("1.0"), Version("1.0")),
    "UNORDERED": lambda: VersionBundle(Version("1.10"), Version("1.9")),
    "FIRST_WITH_CHANGES": lambda: VersionBundle(Version("1.0", EndpointAdded("book-list"))),
    "UNKNOWN_ROUTE": lambda: VersionBundle(
        Version("0.9"),
        Version("1.0"),
        Version("2.0", EndpointRemoved("no-such-route")),
        Version("3.0"),
    ),
    "MISSING_MAJOR": lambda: VersionBundle(
        Version("0.9"), Version("1.0"), Version("2.0"), Version("3.0"), Version("4.0")
    ),
    "FEWER_MAJORS": lambda: VersionBundle(Version("1.0"), Version("2.0"), Version("3.0")),
}

NOT_A_BUNDLE = ["1.0", "2.0"]


def __getattr__(name: str) -> VersionBundle:
    """Build the named declaration on access (a bad one raises its declaration error)."""
    try:
        builder = _BUILDERS[name]
    except KeyError:
        raise AttributeError(name) from None
    return builder()

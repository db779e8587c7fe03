"""The benchmarked pairs: each names a plain DRF request and the same request through the app.

The versions live the example's real lifecycle (SPEC section 6: 0.9 retired, 1.x deprecated
with a sunset, a migration guide and successor 2.0, 2.x stable, 3.0 preview), set through the
public lifecycle functions, so the request path serves each state as in production (the
snapshot revalidates after each change). The pairs that need another state get there the same
way, in this order (``STAGES``): 3.0 preview, 1.1 deprecated, 1.1 stable again, 3.0 stable.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management import call_command
from django.test import Client

from benchmarks.equality import same_operations, same_response
from benchmarks.pair import Pair
from benchmarks.query_pairs import query_pairs
from benchmarks.rehearsal import rehearsal_pairs, rehearsal_scheduled

LIST_SIZE = 50

_UTC = datetime.UTC
RELEASED = {
    "0.9": datetime.datetime(2023, 3, 1, tzinfo=_UTC),
    "1.0": datetime.datetime(2023, 9, 1, tzinfo=_UTC),
    "1.1": datetime.datetime(2024, 2, 1, tzinfo=_UTC),
    "2.0": datetime.datetime(2024, 9, 1, tzinfo=_UTC),
    "2.1": datetime.datetime(2025, 3, 1, tzinfo=_UTC),
}
DEPRECATED_AT = datetime.datetime(2026, 11, 22, tzinfo=_UTC)
SUNSET_AT = datetime.datetime(2099, 5, 21, tzinfo=_UTC)  # far ahead: never gone (410) mid-run
MIGRATION_GUIDE = "https://example.com/library-api/migrate-to-v2"
DEPRECATION_HEADERS = ("Deprecation", "Sunset", "Link")


def prepare() -> None:
    """The schema, 50 books with two authors each, and the versions in their SPEC states."""
    import versioning_app as lifecycle  # the public lifecycle functions
    from example_project.library.factories import AuthorFactory, BookFactory

    call_command("migrate", verbosity=0, run_syncdb=True)  # rows start as previews (settings)
    authors = [AuthorFactory() for _ in range(10)]
    for index in range(LIST_SIZE):
        BookFactory(authors=[authors[index % 10], authors[(index + 1) % 10]])
    for version, released_at in RELEASED.items():
        lifecycle.stabilize(version, released_at=released_at)
    for version in ("0.9", "1.0", "1.1"):
        lifecycle.deprecate(
            version,
            deprecated_at=DEPRECATED_AT,
            sunset_at=SUNSET_AT,
            successor="2.0",
            documentation_url=MIGRATION_GUIDE,
        )
    lifecycle.retire("0.9")


def _status(version: str) -> str:
    from versioning_app.models import VersionLifecycle

    return VersionLifecycle.objects.get(version=version).status


def _require(version: str, status: str) -> None:
    if _status(version) != status:
        raise RuntimeError(
            f"{version} is {_status(version)}, the pair needs it {status}: the pairs run in "
            "lifecycle order (STAGES), which only moves forward."
        )


def spec_states() -> None:
    """SPEC section 6: 1.1 deprecated, 3.0 preview (what ``prepare`` left)."""
    _require("3.0", "preview")
    _require("1.1", "deprecated")


def stable_11() -> None:
    """1.1 stable again: its deprecation cancelled (3.0 still a preview)."""
    import versioning_app as lifecycle  # the public lifecycle functions
    from versioning_app.models import Status

    if _status("1.1") == Status.DEPRECATED:
        lifecycle.cancel_deprecation("1.1")
    _require("1.1", "stable")


def stable_head() -> None:
    """3.0 released: stable, as head is in the head pairs."""
    import versioning_app as lifecycle  # the public lifecycle functions
    from versioning_app.models import Status

    if _status("3.0") == Status.PREVIEW:
        lifecycle.stabilize("3.0")
    _require("3.0", "stable")


#: The order the pairs are measured in: each stage's setup only moves the lifecycle forward.
STAGES = (spec_states, stable_11, stable_head, rehearsal_scheduled)


def _get(client: Client, path: str, **headers: str) -> None:
    response = client.get(path, **headers)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}: {response.content[:200]!r}")


def _api_pair(
    client: Client,
    name: str,
    plain: str,
    ours: str,
    target: float,
    setup: Any,
    our_headers: tuple[str, ...] = (),
) -> Pair:
    return Pair(
        name,
        lambda: _get(client, plain),
        lambda: _get(client, ours),
        target=target,
        setup=setup,
        check=same_response(client, plain, ours, our_headers),
    )


def _schema_pairs(client: Client, plain_detail: str) -> list[Pair]:
    """Schema generation against plain drf-spectacular, and the cached fetch of a document."""
    from drf_spectacular.generators import SchemaGenerator

    from benchmarks.urls import schema_baseline_patterns
    from versioning_app.docs import catalog
    from versioning_app.docs.schema import generate_schema
    from versioning_app.versions import VersionNumber

    def plain_generation() -> dict[str, Any]:
        # The same book and author viewsets, unversioned, with 2.1's endpoints exactly.
        return SchemaGenerator(patterns=schema_baseline_patterns).get_schema(  # type: ignore[no-any-return]
            request=None, public=True
        )

    def versioned_generation() -> dict[str, Any]:
        info = catalog.info_for(VersionNumber(2, 1))
        assert info is not None
        return generate_schema(info)

    return [
        Pair(
            "schema 2.1: cold generation",
            plain_generation,
            versioned_generation,
            target=1.10,
            calls=2,
            setup=stable_head,
            check=same_operations(plain_generation, versioned_generation, "/plain/", "/api/v2/"),
        ),
        # A yardstick, not a like-for-like pair: the target is absolute, nothing to compare.
        Pair(
            "schema 2.1: cached fetch (vs plain detail)",
            lambda: _get(client, plain_detail),
            lambda: _get(client, "/api/schema/2.1/"),
            target_us=2000,
            setup=stable_head,
        ),
    ]


def build_pairs() -> list[Pair]:
    """Every pair the benchmark reports, in the order it reports them."""
    from benchmarks.pinning import pinned_head_pair
    from benchmarks.urls import PLAIN_11_PREFIX, PLAIN_HEAD_PREFIX
    from example_project.library.models import Book

    client = Client()
    book = Book.objects.order_by("pk").first()
    assert book is not None
    plain_list, plain_detail = f"{PLAIN_HEAD_PREFIX}books/", f"{PLAIN_HEAD_PREFIX}books/{book.pk}/"
    # Version 1.1 is compared with the same shape written by hand in plain DRF.
    plain_11_list, plain_11_detail = (
        f"{PLAIN_11_PREFIX}books/",
        f"{PLAIN_11_PREFIX}books/{book.pk}/",
    )
    ours_3_list, ours_3_detail = "/api/v3/books/", f"/api/v3/books/{book.pk}/"
    ours_1_list, ours_1_detail = "/api/v1/books/", f"/api/v1/books/{book.pk}/"
    preview = ("API-Lifecycle",)
    return [
        _api_pair(client, "head 3.0: list of 50", plain_list, ours_3_list, 1.03, stable_head),
        _api_pair(client, "head 3.0: detail", plain_detail, ours_3_detail, 1.03, stable_head),
        pinned_head_pair(plain_detail, ours_3_detail),
        # Four change steps back from head (3.0 -> 2.1 -> 2.0 -> 1.1): renames, a removed
        # field restored, added fields dropped, and the author_name response migration.
        _api_pair(client, "1.1 stable: list of 50", plain_11_list, ours_1_list, 1.10, stable_11),
        _api_pair(client, "1.1 stable: detail", plain_11_detail, ours_1_detail, 1.10, stable_11),
        # The same, deprecated: Deprecation, Sunset and both Links on every response.
        _api_pair(
            client,
            "1.1 deprecated: list of 50",
            plain_11_list,
            ours_1_list,
            1.10,
            spec_states,
            DEPRECATION_HEADERS,
        ),
        _api_pair(
            client,
            "1.1 deprecated: detail",
            plain_11_detail,
            ours_1_detail,
            1.10,
            spec_states,
            DEPRECATION_HEADERS,
        ),
        # Head while it is still a preview (API-Lifecycle: preview).
        _api_pair(
            client, "3.0 preview: list of 50", plain_list, ours_3_list, 1.03, spec_states, preview
        ),
        _api_pair(
            client, "3.0 preview: detail", plain_detail, ours_3_detail, 1.03, spec_states, preview
        ),
        *_schema_pairs(client, plain_detail),
        *rehearsal_pairs(client, plain_detail, ours_3_detail, _api_pair),
        *query_pairs(client),
    ]


def in_lifecycle_order(pairs: list[Pair]) -> list[Pair]:
    """``pairs`` in the order their setups can run (the lifecycle only moves forward)."""
    return sorted(pairs, key=lambda pair: STAGES.index(pair.setup) if pair.setup else 0)  # type: ignore[arg-type]

"""The per-process lifecycle snapshot: no query in steady state, bounded staleness, invalidation."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import override_settings

from tests.support.factories import DeprecatedVersionFactory
from versioning_app.lifecycle import snapshot as snapshot_module
from versioning_app.lifecycle.snapshot import GENERATION_KEY, get_snapshot, load_snapshot
from versioning_app.models import Status, VersionLifecycle
from versioning_app.versions import VersionNumber

V11 = VersionNumber(1, 1)


class Clock:
    """A controllable ``time.monotonic``."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(snapshot_module.time, "monotonic", fake)
    snapshot_module.invalidate_local()  # start cold, as a new worker process does
    return fake


@pytest.fixture
def cache_reads(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """Every generation token read from the shared cache."""
    reads: list[str | None] = []
    original = snapshot_module._read_token

    def counting() -> str | None:
        value = original()
        reads.append(value)
        return value

    monkeypatch.setattr(snapshot_module, "_read_token", counting)
    return reads


def other_process_changes(version: str, **fields: object) -> None:
    """What another worker's committed change looks like here: new rows, a new token."""
    VersionLifecycle.objects.filter(version=version).update(**fields)  # no signals
    cache.set(GENERATION_KEY, "another-process", timeout=None)


@pytest.mark.django_db(transaction=True)
def test_steady_state_is_one_cache_read_and_no_query(
    clock, cache_reads, django_assert_num_queries
) -> None:
    with django_assert_num_queries(2):  # versions, endpoint deprecations
        get_snapshot()
    clock.now += 1
    with django_assert_num_queries(0):
        for _ in range(10):
            get_snapshot()
    assert len(cache_reads) == 1  # within the refresh bound: not even the cache
    clock.now += 10
    with django_assert_num_queries(0):
        get_snapshot()
    assert len(cache_reads) == 2  # one cheap revalidation, token unchanged: no reload


@pytest.mark.django_db(transaction=True)
def test_another_process_change_is_seen_within_the_refresh_bound(clock) -> None:
    assert get_snapshot().version(V11).status == Status.STABLE
    other_process_changes("1.1", status=Status.DEPRECATED)
    clock.now += 4.9
    assert get_snapshot().version(V11).status == Status.STABLE  # still within 5 s
    clock.now += 0.2
    assert get_snapshot().version(V11).status == Status.DEPRECATED


@pytest.mark.django_db(transaction=True)
@override_settings(
    VERSIONING_APP={
        "VERSIONS": "tests.testapp.versions.VERSIONS",
        "LIFECYCLE_REFRESH_SECONDS": 30,
    }
)
def test_the_refresh_bound_is_configurable(clock) -> None:
    get_snapshot()
    other_process_changes("1.1", status=Status.DEPRECATED)
    clock.now += 29
    assert get_snapshot().version(V11).status == Status.STABLE
    clock.now += 2
    assert get_snapshot().version(V11).status == Status.DEPRECATED


@pytest.mark.django_db(transaction=True)
def test_a_committed_save_publishes_a_new_generation(clock) -> None:
    get_snapshot()
    before = cache.get(GENERATION_KEY)
    assert before
    DeprecatedVersionFactory(version="1.1")  # autocommit: on_commit runs at once
    assert cache.get(GENERATION_KEY) not in (None, before)
    # ... and this process reloads without waiting for the bound.
    assert get_snapshot().version(V11).status == Status.DEPRECATED


@pytest.mark.django_db
def test_own_change_is_seen_at_once_and_published_on_commit(
    clock, django_capture_on_commit_callbacks
) -> None:
    get_snapshot()
    token = cache.get(GENERATION_KEY)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        DeprecatedVersionFactory(version="1.1")
        assert get_snapshot().version(V11).status == Status.DEPRECATED
        assert cache.get(GENERATION_KEY) == token  # not published before the commit
    assert callbacks
    for callback in callbacks:
        callback()
    assert cache.get(GENERATION_KEY) != token


@pytest.mark.django_db
def test_an_uncommitted_state_is_revalidated_at_the_next_check(clock, cache_reads) -> None:
    get_snapshot()
    DeprecatedVersionFactory(version="1.1")  # inside the test's transaction: may roll back
    get_snapshot()
    VersionLifecycle.objects.filter(version="1.1").update(status=Status.STABLE)  # "rolled back"
    clock.now += 6
    assert get_snapshot().version(V11).status == Status.STABLE


@pytest.mark.django_db(transaction=True)
def test_an_evicted_token_is_republished_and_the_rows_reloaded(clock) -> None:
    get_snapshot()
    VersionLifecycle.objects.filter(version="1.1").update(status=Status.DEPRECATED)
    cache.clear()
    clock.now += 6
    assert get_snapshot().version(V11).status == Status.DEPRECATED
    assert cache.get(GENERATION_KEY)


@pytest.mark.django_db(transaction=True)
def test_a_cache_outage_falls_back_to_the_database(clock, monkeypatch, caplog) -> None:
    get_snapshot()

    class Broken:
        def get(self, *args: object, **kwargs: object) -> None:
            raise ConnectionError("cache down")

        add = set = get

    monkeypatch.setattr(snapshot_module, "_cache", lambda: Broken())
    VersionLifecycle.objects.filter(version="1.1").update(status=Status.DEPRECATED)
    clock.now += 6
    assert get_snapshot().version(V11).status == Status.DEPRECATED
    assert "Cannot read the lifecycle generation" in caplog.text


@pytest.mark.django_db
def test_load_snapshot_contents() -> None:
    DeprecatedVersionFactory(version="1.1")
    loaded = load_snapshot()
    state = loaded.version(V11)
    assert (state.status, state.successor, state.documentation_url) == (
        "deprecated", VersionNumber(2, 0), "https://docs.example.com/migrate-to-v2",
    )  # fmt: skip
    assert loaded.version(VersionNumber(9, 9)).status == "stable"  # no row: served as stable
    assert loaded.newest_stable == VersionNumber(3, 0)
    with pytest.raises(TypeError):
        loaded.versions[V11] = state  # type: ignore[index]


@pytest.mark.django_db
def test_the_newest_applicable_endpoint_deprecation_wins() -> None:
    from tests.support.factories import EndpointDeprecationFactory

    EndpointDeprecationFactory(replacement="old")
    EndpointDeprecationFactory(
        replacement="new", from_version=VersionLifecycle.objects.get(version="1.1")
    )
    loaded = load_snapshot()
    assert (
        loaded.endpoint_deprecation("book-similar", "GET", VersionNumber(1, 0)).replacement == "old"
    )
    assert loaded.endpoint_deprecation("book-similar", "GET", V11).replacement == "new"
    assert loaded.endpoint_deprecation("book-similar", "GET", VersionNumber(0, 9)) is None
    assert loaded.endpoint_deprecation("book-list", "GET", V11) is None


@pytest.mark.django_db
def test_quiet_versions_are_the_stable_ones_without_endpoint_deprecations() -> None:
    from tests.support.factories import EndpointDeprecationFactory

    DeprecatedVersionFactory(version="1.0")
    assert load_snapshot().quiet == {
        VersionNumber(0, 9), V11, VersionNumber(2, 0), VersionNumber(2, 1), VersionNumber(3, 0),
    }  # fmt: skip
    EndpointDeprecationFactory(from_version=VersionLifecycle.objects.get(version="2.1"))
    assert load_snapshot().quiet == {VersionNumber(0, 9), V11, VersionNumber(2, 0)}

"""The per-process lifecycle snapshot: no query in steady state, bounded staleness, invalidation.

Propagation does not depend on model signals: every revalidation reloads the rows, so a
``QuerySet.update()``, a ``bulk_create()`` or another process's change is served within the
refresh bound. Also the public test hook, ``versioning_app.testing``.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Iterator

import pytest
from django.core.cache import caches
from django.db import OperationalError
from django.db.models.signals import post_delete, post_save
from django.test import override_settings
from django.utils import timezone

from tests.support.factories import DeprecatedVersionFactory
from tests.testapp.factories import BookFactory
from versioning_app import VersionNumber
from versioning_app.lifecycle import snapshot as snapshot_module
from versioning_app.lifecycle.snapshot import get_snapshot, install, load_snapshot
from versioning_app.models import EndpointDeprecation, Status, VersionLifecycle
from versioning_app.testing import (
    LifecycleSnapshot,
    VersionState,
    refresh_lifecycle,
    serve_lifecycle,
)

V09, V10, V11 = VersionNumber(0, 9), VersionNumber(1, 0), VersionNumber(1, 1)


@pytest.fixture
def model_signals() -> Iterator[list[type]]:
    """The senders of every post_save and post_delete sent during the test."""
    sent: list[type] = []

    def record(sender: type, **kwargs: object) -> None:
        sent.append(sender)

    post_save.connect(record, weak=False, dispatch_uid="test_snapshot.record")
    post_delete.connect(record, weak=False, dispatch_uid="test_snapshot.record")
    yield sent
    post_save.disconnect(dispatch_uid="test_snapshot.record")
    post_delete.disconnect(dispatch_uid="test_snapshot.record")


def other_process_changes(version: str, **fields: object) -> None:
    """What another process's committed change looks like here: new rows, and nothing else."""
    VersionLifecycle.objects.filter(version=version).update(**fields)  # no signal


@pytest.mark.django_db(transaction=True)
def test_steady_state_is_no_query_and_a_revalidation_three(
    clock, django_assert_num_queries
) -> None:
    with django_assert_num_queries(3):  # versions, endpoint deprecations, brownouts
        first = get_snapshot()
    clock.now += 1
    with django_assert_num_queries(0):
        for _ in range(10):
            assert get_snapshot() is first
    clock.now += 10
    with django_assert_num_queries(3):  # one revalidation: the rows again
        assert get_snapshot() is first  # unchanged: the held snapshot is kept
    with django_assert_num_queries(0):
        get_snapshot()


@pytest.mark.django_db(transaction=True)
def test_another_process_change_is_seen_within_the_refresh_bound(clock, model_signals) -> None:
    assert get_snapshot().version(V11).status == Status.STABLE
    other_process_changes("1.1", status=Status.DEPRECATED)
    clock.now += 4.9
    assert get_snapshot().version(V11).status == Status.STABLE  # still within 5 s
    clock.now += 0.2
    assert get_snapshot().version(V11).status == Status.DEPRECATED
    assert model_signals == []


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
def test_propagation_reads_no_cache(clock, monkeypatch) -> None:
    used: list[str] = []

    def refuse(handler: object, alias: str) -> None:
        used.append(alias)
        raise ConnectionError("cache down")

    monkeypatch.setattr(type(caches), "__getitem__", refuse)
    get_snapshot()
    other_process_changes("1.1", status=Status.DEPRECATED)
    clock.now += 6
    assert get_snapshot().version(V11).status == Status.DEPRECATED
    assert used == []


@pytest.mark.django_db(transaction=True)
def test_a_committed_save_is_seen_at_once_in_this_process(clock) -> None:
    get_snapshot()
    DeprecatedVersionFactory(version="1.1")  # autocommit: on_commit runs at once
    assert get_snapshot().version(V11).status == Status.DEPRECATED  # no wait for the bound


@pytest.mark.django_db
def test_own_change_is_seen_at_once_and_dropped_again_on_commit(
    clock, django_capture_on_commit_callbacks
) -> None:
    get_snapshot()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        DeprecatedVersionFactory(version="1.1")
        assert get_snapshot().version(V11).status == Status.DEPRECATED
    # Another thread reloads before the commit, and reads the rows as they were.
    install(LifecycleSnapshot(), until=clock.now + 5)
    assert get_snapshot().version(V11).status == Status.STABLE
    assert callbacks
    for callback in callbacks:
        callback()
    assert get_snapshot().version(V11).status == Status.DEPRECATED


@pytest.mark.django_db(transaction=True)
def test_an_invalidation_waits_for_a_reload_under_way(clock, monkeypatch) -> None:
    get_snapshot()
    real_load = snapshot_module.load_snapshot
    invalidating = threading.Thread(target=refresh_lifecycle)

    def load_then_commit_elsewhere() -> LifecycleSnapshot:
        loaded = real_load()  # 1.1 stable
        other_process_changes("1.1", status=Status.DEPRECATED)
        invalidating.start()  # the committing thread's on_commit invalidation
        invalidating.join(timeout=0.2)
        assert invalidating.is_alive()  # blocked until this reload is stored
        return loaded

    monkeypatch.setattr(snapshot_module, "load_snapshot", load_then_commit_elsewhere)
    clock.now += 6
    assert get_snapshot().version(V11).status == Status.STABLE  # what the reload read
    invalidating.join()
    monkeypatch.setattr(snapshot_module, "load_snapshot", real_load)
    assert get_snapshot().version(V11).status == Status.DEPRECATED  # at once, not in 5 s


@pytest.mark.django_db
def test_an_uncommitted_state_is_revalidated_at_the_next_check(clock) -> None:
    get_snapshot()
    DeprecatedVersionFactory(version="1.1")  # inside the test's transaction: may roll back
    get_snapshot()
    VersionLifecycle.objects.filter(version="1.1").update(status=Status.STABLE)  # "rolled back"
    clock.now += 6
    assert get_snapshot().version(V11).status == Status.STABLE


# --- through the API: changes that send no signal --------------------------------------------


@pytest.mark.django_db
def test_a_bulk_update_is_served_after_the_bound_without_a_signal(api, clock, model_signals):
    v10 = {"HTTP_API_VERSION": "1.0"}
    assert "Deprecation" not in api.get("/api/v1/books/", **v10)
    deprecated_at = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    VersionLifecycle.objects.filter(version="1.0").update(
        status=Status.DEPRECATED,
        deprecated_at=deprecated_at,
        sunset_at=timezone.now() + datetime.timedelta(days=30),
    )
    clock.now += 4.9
    assert "Deprecation" not in api.get("/api/v1/books/", **v10)
    clock.now += 0.2
    assert api.get("/api/v1/books/", **v10)["Deprecation"] == "@1767225600"
    assert "Deprecation" not in api.get("/api/v1/books/")  # 1.1 untouched

    VersionLifecycle.objects.filter(version="1.0").update(status=Status.RETIRED)
    clock.now += 5.1
    assert api.get("/api/v1/books/", **v10).status_code == 410
    assert model_signals == []


@pytest.mark.django_db
def test_a_database_outage_at_revalidation_serves_the_held_lifecycle(
    api, clock, monkeypatch, caplog
) -> None:
    """The rows cannot be read at a revalidation: the API keeps answering (never a 500) with
    the lifecycle it last read, and tries again one bound later."""
    DeprecatedVersionFactory(version="1.0")
    v10 = {"HTTP_API_VERSION": "1.0"}
    assert "Deprecation" in api.get("/api/v1/books/", **v10)
    attempts: list[int] = []

    def down() -> LifecycleSnapshot:
        attempts.append(1)
        raise OperationalError("the database is down")

    monkeypatch.setattr(snapshot_module, "load_snapshot", down)
    clock.now += 5.1
    response = api.get("/api/v1/books/", **v10)
    assert response.status_code == 200
    assert "Deprecation" in response
    assert attempts == [1]
    assert "Cannot reload the API lifecycle" in caplog.text
    api.get("/api/v1/books/", **v10)
    assert attempts == [1]  # not again within the bound
    clock.now += 5.1
    api.get("/api/v1/books/", **v10)
    assert attempts == [1, 1]


@pytest.mark.django_db
def test_a_bulk_created_endpoint_deprecation_is_served_after_the_bound(
    api, clock, model_signals
) -> None:
    book = BookFactory()
    model_signals.clear()
    similar = f"/api/v1/books/{book.pk}/similar/"
    assert api.get(similar).status_code == 200
    now = timezone.now()
    EndpointDeprecation.objects.bulk_create(
        [
            EndpointDeprecation(
                route="book-similar",
                from_version=VersionLifecycle.objects.get(version="1.0"),
                deprecated_at=now - datetime.timedelta(days=10),
                sunset_at=now - datetime.timedelta(seconds=1),
                replacement="GET /api/v2/books/?author={id}",
            )
        ]
    )
    clock.now += 4.9
    assert api.get(similar).status_code == 200
    clock.now += 0.2
    response = api.get(similar)
    assert response.status_code == 410
    assert "GET /api/v2/books/?author={id}" in response.content.decode()
    assert api.get(f"/api/v2/books/{book.pk}/").status_code == 200
    assert model_signals == []


# --- versioning_app.testing ----------------------------------------------------------------


@pytest.mark.django_db
def test_serve_lifecycle_pins_a_snapshot_and_restores_on_exit(
    api, clock, django_assert_num_queries
) -> None:
    before = get_snapshot()
    retired = LifecycleSnapshot(versions={V09: VersionState(V09, status=Status.RETIRED)})
    with serve_lifecycle(retired) as served:
        assert served is retired
        clock.now += 1000  # no revalidation by time
        with django_assert_num_queries(0):
            assert api.get("/api/v0/books/").status_code == 410
    assert get_snapshot() is before
    assert api.get("/api/v0/books/").status_code == 200


@pytest.mark.django_db
def test_serve_lifecycle_enable_and_disable(api) -> None:
    before = get_snapshot()
    pin = serve_lifecycle(LifecycleSnapshot(versions={V09: VersionState(V09, status="retired")}))
    assert pin.enable().version(V09).is_gone(timezone.now())
    assert api.get("/api/v0/books/").status_code == 410
    pin.disable()
    assert get_snapshot() is before
    assert api.get("/api/v0/books/").status_code == 200


@pytest.mark.django_db
def test_serve_lifecycle_without_a_snapshot_pins_the_rows_on_entry(clock) -> None:
    with serve_lifecycle() as served:
        assert served.version(V11).status == Status.STABLE
        other_process_changes("1.1", status=Status.DEPRECATED)
        clock.now += 1000
        assert get_snapshot() is served
        refresh_lifecycle()  # ends the pin: the rows now
        assert get_snapshot().version(V11).status == Status.DEPRECATED


@pytest.mark.django_db
def test_a_save_in_this_process_ends_the_pin(clock) -> None:
    with serve_lifecycle(LifecycleSnapshot()):
        DeprecatedVersionFactory(version="1.1")
        assert get_snapshot().version(V11).status == Status.DEPRECATED


@serve_lifecycle(LifecycleSnapshot(versions={V09: VersionState(V09, status="retired")}))
def test_serve_lifecycle_as_a_decorator(client, db) -> None:  # the example in its docstring
    assert client.get("/api/v0/books/").status_code == 410


def test_refresh_lifecycle_as_in_the_docstring_example(client, db) -> None:
    VersionLifecycle.objects.filter(version="1.1").update(  # sends no signal
        status="deprecated", deprecated_at=timezone.now()
    )
    assert "Deprecation" not in client.get("/api/v1/books/").headers  # the conftest pin
    refresh_lifecycle()
    assert "Deprecation" in client.get("/api/v1/books/").headers


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

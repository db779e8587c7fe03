"""pytest fixtures for a project's tests; load them from the project's ``conftest.py``::

    pytest_plugins = ["versioning_app.testing.pytest_plugin"]

``lifecycle_clock`` sets the lifecycle's now for one test; ``versioned_api`` makes API clients
that send ``API-Version``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from versioning_app.testing.clients import VersionedAPIClient
from versioning_app.testing.lifecycle import LifecycleClock


@pytest.fixture
def lifecycle_clock() -> Iterator[LifecycleClock]:
    """The lifecycle's now, for this test: ``lifecycle_clock.set("2031-01-01")``."""
    controlled = LifecycleClock()
    yield controlled
    controlled.reset()


@pytest.fixture
def versioned_api() -> Callable[..., VersionedAPIClient]:
    """Make API clients that send ``API-Version``: ``versioned_api("1.0").get(...)``."""
    return VersionedAPIClient

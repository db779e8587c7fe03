"""The ``example`` marker (a pytest plugin): run a test against the example project.

The library's tests run against ``tests.testapp``; the example project's contract tests (SPEC
section 6) mark themselves ``example`` and get its URLconf and versions for their duration.
Both settings are read lazily: ``setting_changed`` reloads the package's settings, and Django's
own receiver clears the URL caches when ``ROOT_URLCONF`` changes.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import override_settings

EXAMPLE_URLCONF = "example_project.urls"
EXAMPLE_VERSIONS = "example_project.library.versions.VERSIONS"


def example_settings() -> override_settings:
    """The test settings with the example project's URLs and versions."""
    return override_settings(
        ROOT_URLCONF=EXAMPLE_URLCONF,
        VERSIONING_APP={**settings.VERSIONING_APP, "VERSIONS": EXAMPLE_VERSIONS},
    )


@pytest.fixture(autouse=True)
def _example_project(request: pytest.FixtureRequest) -> Iterator[None]:
    """Serve the example project to a test marked ``example``; leave every other test alone."""
    if request.node.get_closest_marker("example") is None:
        yield
        return
    with example_settings():
        yield

"""schemathesis, in-process against every served version: no 5xx, responses match the schema.

Bounded and reproducible: a fixed number of examples per operation, derandomized generation
(a fixed seed), no example database. Writes go through HTTP Basic authentication as a superuser.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, given, seed, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from example_project.library.factories import BookFactory
from tests.factories import EndpointDeprecationFactory
from versioning_app import catalog
from versioning_app.models import VersionLifecycle

MAX_EXAMPLES = 8
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def wsgi_app(db: Any) -> Iterator[WSGIHandler]:
    """Django's WSGI application, kept inside the test's transaction (as the test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def basic_auth(django_user_model: Any) -> dict[str, str]:
    """An Authorization header of a superuser, so that writes are exercised too."""
    django_user_model.objects.create_superuser("fuzzer", "", "fuzzer-password")
    token = base64.b64encode(b"fuzzer:fuzzer-password").decode()
    return {"Authorization": f"Basic {token}"}


def served_versions() -> list[str]:
    """The example project's declared versions (the retired 0.9 is checked for its 410)."""
    from versioning_app.conf import app_settings

    return [str(version.number) for version in app_settings.versions]


@pytest.fixture
def realistic_lifecycle(spec_lifecycle: None) -> None:
    """SPEC section 6's states, plus one deprecated endpoint (``similar``, from 1.1 on)."""
    EndpointDeprecationFactory(from_version=VersionLifecycle.objects.get(version="1.1"))


@pytest.mark.parametrize("version", served_versions())
def test_every_operation_conforms(
    version: str,
    wsgi_app: WSGIHandler,
    basic_auth: dict[str, str],
    realistic_lifecycle: None,
) -> None:
    """Every operation of the version: generated requests never 5xx, responses conform.

    The retired 0.9 answers 410 for its schema and its API; deprecated 1.x keep working and
    send the Deprecation and Sunset headers their documents declare as required.
    """
    from versioning_app.versions import VersionNumber

    info = catalog.info_for(VersionNumber.parse(version))
    assert info is not None
    if version == "0.9":
        assert not info.served
        assert Client().get(f"/api/schema/{version}/").status_code == 410
        assert Client().get("/api/v0/books/").status_code == 410
        return
    assert info.served
    BookFactory.create_batch(3)
    listed = Client().get(f"/api/v{info.number.major}/books/", HTTP_API_VERSION=version)
    assert listed.status_code == 200  # a deprecated version keeps working
    assert ("Deprecation" in listed) is (info.status == "deprecated")
    schema = schemathesis.openapi.from_wsgi(f"/api/schema/{version}/", wsgi_app)
    headers = {**basic_auth, "API-Version": version}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations, f"version {version} documents no operation"
    for operation in operations:
        _fuzz(operation, headers)


def _fuzz(operation: Any, headers: dict[str, str]) -> None:
    @seed(20240601)
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()

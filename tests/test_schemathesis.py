"""schemathesis, in-process against every served version: no 5xx, responses match the schema.

Bounded and reproducible: a fixed number of examples per operation, derandomized generation
(a fixed seed), no example database. Writes go through HTTP Basic authentication as a superuser.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, seed, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.support.factories import EndpointDeprecationFactory
from tests.testapp.factories import BookFactory
from versioning_app.docs import catalog
from versioning_app.models import VersionLifecycle

pytestmark = pytest.mark.slow

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
    """The test app's declared versions (the retired 0.9 is checked for its 410)."""
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
        assert wsgi_get(wsgi_app, f"/api/schema/{version}/")[0] == 410
        assert wsgi_get(wsgi_app, "/api/v0/books/")[0] == 410
        return
    assert info.served
    BookFactory.create_batch(3)
    status, listed = wsgi_get(wsgi_app, f"/api/v{info.number.major}/books/", version)
    assert status == 200  # a deprecated version keeps working
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


def wsgi_get(app: WSGIHandler, path: str, version: str = "") -> tuple[int, dict[str, str]]:
    """GET through the WSGI application itself: status and headers.

    Not Django's test client: it reconnects ``close_old_connections`` after each request, and
    the next request through ``app`` would then close the test's connection (PostgreSQL).
    """
    environ: dict[str, Any] = {"PATH_INFO": path, "REQUEST_METHOD": "GET"}
    if version:
        environ["HTTP_API_VERSION"] = version
    setup_testing_defaults(environ)
    started: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        started["status"], started["headers"] = int(status.split()[0]), dict(headers)

    response = app(environ, start_response)
    try:
        b"".join(response)
    finally:
        response.close()
    return started["status"], started["headers"]

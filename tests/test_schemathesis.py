"""schemathesis, in-process against every served version: no 5xx, responses match the schema.

Both the test app and the example project (marker ``example``), every minor of each, every
operation of each minor's document, with the ``API-Version`` header pinning the minor. Half of
the generated requests name real objects (a book with similar books, an author), so that every
read operation answers 2xx and its response is checked against its documented schema (a random
id only ever gets a 404). Bounded and reproducible: a fixed number of examples per operation,
derandomized generation (a fixed seed), no example database. Writes go through HTTP Basic
authentication as a superuser.
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
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from example_project.library import factories as example_factories
from tests.support.factories import EndpointDeprecationFactory
from tests.testapp import factories as testapp_factories
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


def declared_versions(dotted: str) -> list[str]:
    """A project's declared versions (the retired 0.9 is checked for its 410)."""
    from django.utils.module_loading import import_string

    return [str(version.number) for version in import_string(dotted)]


# (project, version): every minor of the test app, then every minor of the example project
# (the ``example`` marker serves the example's URLconf and versions to its cases).
PROJECTS = [
    *(
        pytest.param("testapp", version, id=f"testapp-{version}")
        for version in declared_versions("tests.testapp.versions.VERSIONS")
    ),
    *(
        pytest.param("example", version, id=f"example-{version}", marks=pytest.mark.example)
        for version in declared_versions("example_project.library.versions.VERSIONS")
    ),
]
FACTORIES: dict[str, Any] = {"testapp": testapp_factories, "example": example_factories}


@pytest.fixture
def realistic_lifecycle(spec_lifecycle: None) -> None:
    """SPEC section 6's states, plus one deprecated endpoint (``similar``, from 1.1 on)."""
    EndpointDeprecationFactory(from_version=VersionLifecycle.objects.get(version="1.1"))


@pytest.mark.parametrize(("project", "version"), PROJECTS)
def test_every_operation_conforms(
    project: str,
    version: str,
    wsgi_app: WSGIHandler,
    basic_auth: dict[str, str],
    realistic_lifecycle: None,
) -> None:
    """Every operation of the version: generated requests never 5xx, responses conform.

    The retired 0.9 answers 410 for its schema and its API; deprecated 1.x keep working and
    send the Deprecation and Sunset headers their documents declare as required. Every
    operation of the document is exercised, and every read operation answers 2xx at least once,
    so that a documented response schema that does not match the response fails.
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
    factories = FACTORIES[project]
    factories.BookFactory.create_batch(3)
    status, listed = wsgi_get(wsgi_app, f"/api/v{info.number.major}/books/", version)
    assert status == 200  # a deprecated version keeps working
    assert ("Deprecation" in listed) is (info.status == "deprecated")
    schema = schemathesis.openapi.from_wsgi(f"/api/schema/{version}/", wsgi_app)
    headers = {**basic_auth, "API-Version": version}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations, f"version {version} documents no operation"
    statuses: dict[str, set[int]] = {}
    for operation in operations:
        statuses[operation.label] = _fuzz(operation, headers, real_objects(factories))
    unanswered = sorted(
        label
        for label, codes in statuses.items()
        if label.startswith("GET ") and not any(200 <= code < 300 for code in codes)
    )
    assert not unanswered, f"{version}: no 2xx, response schema never checked: {unanswered}"


def real_objects(factories: Any) -> dict[str, str]:
    """Fresh objects for one operation (an earlier DELETE may have removed the last ones).

    ``books``: a book sharing its author with two others, so ``similar`` has results;
    ``authors``: an author of books.
    """
    author = factories.AuthorFactory()
    book, *_ = (factories.BookFactory(authors=[author]) for _ in range(3))
    return {"books": str(book.pk), "authors": str(author.pk)}


def _fuzz(operation: Any, headers: dict[str, str], ids: dict[str, str]) -> set[int]:
    """Fuzz one operation, half of the cases on real objects; the status codes answered."""
    collection = operation.path.strip("/").split("/")[2]  # api/v<major>/<collection>/...
    statuses: set[int] = set()

    @seed(20240601)
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    @given(case=operation.as_strategy(), real=st.booleans())
    def run(case: Any, real: bool) -> None:
        if real and "id" in (case.path_parameters or {}):
            case.path_parameters = {**case.path_parameters, "id": ids[collection]}
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        statuses.add(response.status_code)

    run()
    if operation.method.upper() == "GET":
        # One plain read of a real object as well: which generated cases name real objects
        # with acceptable parameters depends on the draw (and the draw on the document), so
        # the 2xx whose response schema must be checked is not left to chance.
        path_parameters = {"id": ids[collection]} if "{id}" in operation.path else None
        plain = operation.Case(path_parameters=path_parameters, headers=dict(headers))
        statuses.add(plain.call_and_validate(headers=headers, checks=CHECKS).status_code)
    return statuses


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

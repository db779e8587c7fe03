"""The DRF versioning class: resolve the served version, or raise the right problem."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.http import HttpRequest
from django.urls import ResolverMatch
from rest_framework.exceptions import NotAcceptable
from rest_framework.request import Request
from rest_framework.versioning import NamespaceVersioning

from versioning_app.conf import app_settings
from versioning_app.errors import EndpointNotInVersion, InvalidVersionHeader, UnknownVersion
from versioning_app.headers import gone_problem
from versioning_app.lifecycle.snapshot import get_snapshot
from versioning_app.versions import (
    Version,
    VersionBundle,
    VersionNumber,
    major_from_namespace,
    namespace_for,
)


def major_of(match: ResolverMatch | None) -> int | None:
    """The major whose namespace a resolved URL lies in, if it lies in one."""
    return None if match is None else _major_of_namespaces(match.namespace)


@lru_cache(maxsize=256)
def _major_of_namespaces(namespace: str) -> int | None:
    # Keyed by the joined namespace path ("v2", or "outer:v2"): the few a URLconf has.
    for part in namespace.split(":"):
        major = major_from_namespace(part)
        if major is not None:
            return major
    return None


def resolve_served_version(
    bundle: VersionBundle, major: int, request: HttpRequest | Request, *, strict: bool = True
) -> Version:
    """The version to serve for ``major``: its newest minor, or the one the header pins.

    With ``strict=False`` a bad header falls back to the newest minor instead of raising.
    """
    raw = request.META.get(app_settings.version_header_meta_key)
    version = bundle.served(major, raw)
    if version is not None:
        return version
    newest = bundle.newest_in_major(major)
    if newest is None:
        raise UnknownVersion(
            "This API has no such version. Use one of the available versions.",
            available_versions=[str(version) for version in bundle],
        )
    if not strict:
        return newest
    minors = [str(minor) for minor in bundle.majors[major]]
    try:
        number: VersionNumber | None = VersionNumber.parse(raw)
    except ValueError:
        number = None
    # The raw value is never repeated back: it may be hostile, and it may not be ASCII.
    if number is None:
        detail = f"The {app_settings.VERSION_HEADER} header must be a version like {minors[-1]}."
    elif number.major != major:
        detail = (
            f"The {app_settings.VERSION_HEADER} header names another major version than the "
            f"URL (major {major}); pin a minor of major {major} or use that major's URL."
        )
    else:
        detail = f"The {app_settings.VERSION_HEADER} header names a version that does not exist."
    raise InvalidVersionHeader(detail, available_versions=minors)


def _method(request: HttpRequest | Request) -> str:
    # HEAD is GET without a body; it exists wherever GET does.
    return "GET" if request.method == "HEAD" else str(request.method)


# The requests that passed every check, per bundle: (namespace, version header, route, method)
# -> the version served. Only the lifecycle is checked again for them: it changes at run time.
_Admitted = dict[tuple[str, str | None, str | None, str | None], VersionNumber]
_admitted: tuple[object, _Admitted] = (None, {})
_MAX_ADMITTED = 4096  # the header and the method come from clients


def _served_number(
    bundle: VersionBundle, major: int, http_request: HttpRequest, header: str | None
) -> VersionNumber:
    version = bundle.served(major, header)
    if version is None:
        # Marks the request as versioned for the middleware: a header error is answered
        # at the major's newest minor (what the same request without the header gets).
        newest = bundle.newest_in_major(major)
        http_request.api_version = newest.number if newest is not None else None  # type: ignore[attr-defined]
        version = resolve_served_version(bundle, major, http_request)
    return version.number


def _raise_if_gone(http_request: HttpRequest, number: VersionNumber, route: str | None) -> None:
    gone = gone_problem(http_request, number, route, _method(http_request))
    if gone is not None:
        raise gone


class APIVersioning(NamespaceVersioning):
    """Major from the URL namespace (``/api/v2/``), minor from the ``API-Version`` header."""

    def determine_version(self, request: Request, *args: Any, **kwargs: Any) -> str | None:
        """Return the served version as ``"MAJOR.MINOR"``, or raise a problem."""
        # Read the HttpRequest directly: each attribute DRF's Request proxies to it costs a
        # Python-level __getattr__ with an exception handler, on every request.
        http_request = request._request
        # Read the DRF request's own attributes: drf-spectacular's mock request carries its
        # resolver_match and version there, and DRF's Request proxies unknown attributes to the
        # HttpRequest, where a middleware may have left a ``version`` of its own.
        own = vars(request)
        match = own.get("resolver_match") or getattr(http_request, "resolver_match", None)
        if match is None:
            return None
        global _admitted
        bundle = app_settings.versions
        if _admitted[0] is not bundle:
            _admitted = (bundle, {})
        route = match.url_name
        header = http_request.META.get(app_settings.version_header_meta_key)
        key = (match.namespace, header, route, http_request.method)
        # drf-spectacular asks about one version through a mock request that carries it;
        # it expects NotAcceptable, and only that, for "not in this version".
        preset = own.get("version")
        number = _admitted[1].get(key) if preset is None else None
        if number is not None:  # admitted before: only the lifecycle may have changed since
            http_request.api_version = number
            if number not in get_snapshot().quiet:  # a stable version has nothing to enforce
                _raise_if_gone(http_request, number, route)
            return str(number)

        major = major_of(match)
        if major is None:
            return None
        if preset is not None:
            return self._version_for_schema(bundle, major, str(preset), match, request)
        number = _served_number(bundle, major, http_request, header)
        http_request.api_version = number
        if number not in get_snapshot().quiet:
            _raise_if_gone(http_request, number, route)
        method = _method(http_request)
        if route and method != "OPTIONS" and not bundle.endpoints.available(route, method, number):
            raise EndpointNotInVersion(
                f"This endpoint does not exist in API version {number}.",
                version=str(number),
            )
        if len(_admitted[1]) < _MAX_ADMITTED:
            _admitted[1][key] = number
        return str(number)

    def _version_for_schema(
        self,
        bundle: VersionBundle,
        major: int,
        requested: str,
        match: ResolverMatch | None,
        request: Request,
    ) -> str:
        try:
            number = VersionNumber.parse(requested)
        except ValueError:
            raise NotAcceptable() from None
        route = match.url_name if match is not None else None
        if number.major != major or number not in bundle:
            raise NotAcceptable()
        if route and not bundle.endpoints.available(route, _method(request), number):
            raise NotAcceptable()
        return str(number)

    def get_versioned_viewname(self, viewname: str, request: Request) -> str:
        """Reverse inside the served major's namespace (``v2:book-list``)."""
        return f"{namespace_for(VersionNumber.parse(request.version).major)}:{viewname}"

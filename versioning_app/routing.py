"""One URL namespace per major, and which endpoints each version serves."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.urls.base import is_valid_path

from .changes import HTTP_METHODS, EndpointChange
from .errors import EndpointNotInVersion, UnknownVersion, problem_response
from .versions import VersionNumber, namespace_for

if TYPE_CHECKING:
    from .versions import VersionBundle

URLEntry = URLPattern | URLResolver


class EndpointIndex:
    """Answers "does version V serve method M on route R?" from the declared endpoint changes."""

    def __init__(self, bundle: VersionBundle) -> None:
        self._changes: dict[str, list[tuple[VersionNumber, EndpointChange]]] = {}
        for version in bundle:
            for change in version.changes:
                if isinstance(change, EndpointChange):
                    self._changes.setdefault(change.route, []).append((version.number, change))
        self._memo: dict[tuple[str, str, VersionNumber], bool] = {}

    @property
    def routes(self) -> frozenset[str]:
        """Every route name that some endpoint change mentions."""
        return frozenset(self._changes)

    @cached_property
    def method_routes(self) -> frozenset[str]:
        """The routes whose changes name particular HTTP methods."""
        return frozenset(
            route
            for route, changes in self._changes.items()
            if any(change.methods is not None for _, change in changes)
        )

    def available(self, route: str, method: str, number: VersionNumber) -> bool:
        """Whether ``method`` on ``route`` exists in version ``number`` (unchanged routes do)."""
        if route not in self._changes:
            return True  # most routes: never added or removed by any version
        key = (route, method, number)
        if key not in self._memo:
            self._memo[key] = self._compute(route, method, number)
        return self._memo[key]

    def _compute(self, route: str, method: str, number: VersionNumber) -> bool:
        changes = [
            (at, change)
            for at, change in self._changes.get(route, ())
            if change.applies_to(route, method)
        ]
        at_or_before = [change for at, change in changes if at <= number]
        if at_or_before:
            return at_or_before[-1].present_from_here
        # Only later changes: the endpoint is as it was before the first of them.
        return not changes[0][1].present_from_here if changes else True

    def route_in_version(self, route: str, number: VersionNumber) -> bool:
        """Whether version ``number`` serves ``route`` with at least one method."""
        return any(self.available(route, method, number) for method in HTTP_METHODS)


def versioned_urls(
    patterns: Sequence[URLEntry], *, prefix: str = "", versions: VersionBundle | None = None
) -> list[URLEntry]:
    """Turn the head ``urlpatterns`` into one namespace per major: ``v1/``, ``v2/``, ...

    Each namespace keeps the routes that at least one of its minors serves; a path that
    matches nothing in a namespace, or a major that does not exist, answers problem+json.
    With ``prefix="api/"`` the result is spliced straight into ``urlpatterns``
    (``*versioned_urls(...)``), which saves every request one URL resolver level over
    ``path("api/", include(versioned_urls(...)))``; both mount the same URLs.
    """
    from .conf import app_settings

    _check_prefix(prefix)
    anchored = re.escape(prefix)
    try:
        bundle = versions if versions is not None else app_settings.versions
    except (ImproperlyConfigured, ImportError) as exc:
        # ``manage.py check`` imports the URLconf before our checks run: leave the error to
        # them (reported by id, with a hint), and raise it again on any versioned request.
        return [re_path(rf"^{anchored}v", _raise(exc))]
    urls: list[URLEntry] = []
    # Newest major first: it gets most of the traffic, and URL resolution tries in order.
    for major, minors in sorted(bundle.majors.items(), reverse=True):

        def keep(name: str, minors: Sequence[Any] = minors) -> bool:
            return any(bundle.endpoints.route_in_version(name, v.number) for v in minors)

        namespace = namespace_for(major)
        kept = [
            *filter_patterns(patterns, keep),
            re_path(r"", endpoint_not_found, {"major": major}),
        ]
        urls.append(path(f"{prefix}{namespace}/", include((kept, namespace), namespace=namespace)))
    urls.append(re_path(rf"^{anchored}v[^/]*(?:/|$)", unknown_version))
    return urls


def _check_prefix(prefix: str) -> None:
    # A literal path: converters would hand the views keyword arguments they do not expect.
    if prefix and (
        not prefix.endswith("/") or prefix.startswith("/") or "<" in prefix or "//" in prefix
    ):
        raise ImproperlyConfigured(
            f"versioned_urls(prefix={prefix!r}): the prefix is a literal path that ends with "
            "'/' and does not start with one, e.g. 'api/'."
        )


def _raise(exc: Exception) -> Callable[..., HttpResponse]:
    def broken_declaration(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        raise exc

    return broken_declaration


def filter_patterns(patterns: Iterable[URLEntry], keep: Callable[[str], bool]) -> list[URLEntry]:
    """Copy ``patterns`` without the named routes ``keep`` rejects, recursing into includes."""
    kept: list[URLEntry] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = filter_patterns(entry.url_patterns, keep)
            kept.append(
                URLResolver(
                    entry.pattern,
                    inner,
                    entry.default_kwargs,
                    entry.app_name,
                    entry.namespace,
                )
            )
        elif entry.name is None or keep(entry.name):
            kept.append(entry)
    return kept


def _append_slash_redirect(request: HttpRequest) -> HttpResponse | None:
    # Our catch-alls make every path under a namespace "valid", which would defeat
    # CommonMiddleware's APPEND_SLASH; redo its check, ignoring the catch-alls.
    if not settings.APPEND_SLASH or request.path_info.endswith("/"):
        return None
    if request.method not in ("GET", "HEAD"):
        return None
    match = is_valid_path(f"{request.path_info}/", getattr(request, "urlconf", None))
    if not match or getattr(match.func, "versioning_app_catch_all", False):
        return None
    return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))


def endpoint_not_found(request: HttpRequest, major: int) -> HttpResponse:
    """Catch-all of a major's namespace: no such endpoint in the version being served."""
    from .conf import app_settings
    from .headers import gone_problem
    from .versioning import resolve_served_version

    redirect = _append_slash_redirect(request)
    if redirect is not None:
        return redirect
    bundle = app_settings.versions
    version = resolve_served_version(bundle, major, request, strict=False)
    request.api_version = version.number  # type: ignore[attr-defined]
    # A retired version answers 410 on every path under its major, unknown ones included.
    gone = gone_problem(request, version.number, None, str(request.method))
    if gone is not None:
        return problem_response(gone)
    problem = EndpointNotInVersion(
        f"No endpoint at this path in API version {version}.",
        version=str(version),
    )
    return problem_response(problem)


def unknown_version(request: HttpRequest) -> HttpResponse:
    """Catch-all for ``v<anything>/`` that is not a declared major."""
    from .conf import app_settings

    redirect = _append_slash_redirect(request)
    if redirect is not None:
        return redirect
    request.api_version = None  # type: ignore[attr-defined]
    available = [str(version) for version in app_settings.versions]
    problem = UnknownVersion(
        "This API has no such version. Use one of the available versions.",
        available_versions=available,
    )
    return problem_response(problem)


endpoint_not_found.versioning_app_catch_all = True  # type: ignore[attr-defined]
unknown_version.versioning_app_catch_all = True  # type: ignore[attr-defined]

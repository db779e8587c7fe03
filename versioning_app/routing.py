"""One URL namespace per major, and which endpoints each version serves."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import URLPattern, URLResolver, get_resolver, include, path, re_path
from django.urls.base import is_valid_path
from django.utils.translation import gettext as _

from versioning_app.conf import app_settings
from versioning_app.decision import ChosenBy, Decision, fold_method, store
from versioning_app.errors import EndpointNotInVersion, UnknownVersion, problem_response
from versioning_app.versioning import decide
from versioning_app.versions import VersionBundle, major_from_namespace, namespace_for

URLEntry = URLPattern | URLResolver


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

    redirect = _append_slash_redirect(request)
    if redirect is not None:
        return redirect
    # No route here: a bad version header is answered at the major's newest minor, with 404.
    header = request.META.get(app_settings.version_header_meta_key)
    decision = decide(request, app_settings.versions, major, None, header)
    store(request, decision)
    # A retired version answers 410 on every path under its major, unknown ones included.
    if decision.verdict.problem is not None:
        return problem_response(decision.verdict.problem)
    problem = EndpointNotInVersion(
        _("No endpoint at this path in API version %(version)s.") % {"version": decision.number},
        version=str(decision.number),
    )
    return problem_response(problem)


def unknown_version(request: HttpRequest) -> HttpResponse:
    """Catch-all for ``v<anything>/`` that is not a declared major."""

    redirect = _append_slash_redirect(request)
    if redirect is not None:
        return redirect
    method, client_method = fold_method(request.method)
    store(request, Decision(None, ChosenBy.URL, None, method, client_method))
    available = [str(version) for version in app_settings.versions]
    problem = UnknownVersion(
        _("This API has no such version. Use one of the available versions."),
        available_versions=available,
    )
    return problem_response(problem)


endpoint_not_found.versioning_app_catch_all = True  # type: ignore[attr-defined]
unknown_version.versioning_app_catch_all = True  # type: ignore[attr-defined]
# They change nothing and answer every method with their problem: a POST to a path with no
# endpoint gets the spec's 404 or 410, not Django's HTML CSRF page (what csrf_exempt sets).
endpoint_not_found.csrf_exempt = True  # type: ignore[attr-defined]
unknown_version.csrf_exempt = True  # type: ignore[attr-defined]


def walk_patterns(
    patterns: Iterable[URLPattern | URLResolver], namespaces: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], URLPattern | URLResolver]]:
    """Every URL entry below ``patterns``, depth first, with the namespaces it lies in."""
    for entry in patterns:
        yield namespaces, entry
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from walk_patterns(entry.url_patterns, inner)


def mounted_versions() -> tuple[set[int], set[str]]:
    """The majors with a ``vN`` namespace in the root URLconf, and the route names inside them."""
    majors: set[int] = set()
    routes: set[str] = set()
    for namespaces, entry in walk_patterns(get_resolver().url_patterns):
        found = [m for m in map(major_from_namespace, namespaces) if m is not None]
        if isinstance(entry, URLResolver) and entry.namespace:
            major = major_from_namespace(entry.namespace)
            if major is not None:
                majors.add(major)
        elif isinstance(entry, URLPattern) and found and entry.name:
            routes.add(entry.name)
    return majors, routes

"""The schema generator for one version: drf-spectacular's, linear in the number of endpoints.

drf-spectacular documents a ``NamespaceVersioning`` view (``APIVersioning`` is one) by
resolving each operation's path against the whole URLconf it was given
(``plumbing.modify_for_versioning``), to learn the namespace, and then asking the view's
versioning class whether the operation exists in the version. Each resolution tries the
patterns one by one, so a document of N endpoints costs N x N pattern matches: at 300
resources (600 paths, 1,800 operations) about 1.3 million, 1.8 s of a 2.8 s generation.

Here the generator already knows both answers: the patterns it is given lead to one major's
namespace, and the endpoint table says which route and method each minor serves. So the
operations the version lacks are dropped up front, and each remaining view is documented as an
unversioned one (no versioning class: drf-spectacular resolves nothing) whose mock request
carries the version (``documented_version_request`` wraps ``GET_MOCK_REQUEST``), which is what
the serializers read. A view whose route cannot be told from its pattern keeps its class and
drf-spectacular's resolution, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from typing import Any

from django.urls import URLPattern, URLResolver
from drf_spectacular.generators import SchemaGenerator

from versioning_app.conf import app_settings
from versioning_app.decision import fold_method
from versioning_app.versioning import APIVersioning
from versioning_app.versions import VersionNumber

URLEntry = URLPattern | URLResolver
_DOCUMENTED = "_versioning_app_documented_version"  # on a view: the version its request asks


def documented_version_request(build: Callable[..., Any]) -> Callable[..., Any]:
    """``GET_MOCK_REQUEST`` for a version's generation: ``build``'s request, with the version
    set on it when the view is one the generator knows (``request.version``, as
    drf-spectacular would set it)."""

    def mock_request(method: str, path: str, view: Any, original: Any, **kwargs: Any) -> Any:
        request = build(method, path, view, original, **kwargs)
        version = getattr(view, _DOCUMENTED, None)
        if version is not None:
            request.version = version
        return request

    return mock_request


class VersionGeneratorMixin:
    """Before drf-spectacular's parse: keep the version's operations, mark their views known.

    Also records each kept path's route name (``route_names``), which the decorations need.
    """

    api_version: str | None
    patterns: Sequence[URLEntry]
    route_names: dict[str, str | None]

    def _get_paths_and_endpoints(self) -> list[tuple[str, str, str, Any]]:
        endpoints: list[tuple[str, str, str, Any]] = super()._get_paths_and_endpoints()  # type: ignore[misc]
        self.route_names = {}
        try:
            number = VersionNumber.parse(str(self.api_version or ""))
        except ValueError:
            return endpoints
        bundle = app_settings.versions
        if number not in bundle:
            return endpoints
        routes = route_regexes(tuple(self.patterns))
        kept = []
        for path, path_regex, method, view in endpoints:
            versioning = getattr(view, "versioning_class", None)
            known = path_regex in routes
            route = routes.get(path_regex)
            if isinstance(versioning, type) and issubclass(versioning, APIVersioning) and known:
                folded, _client_method = fold_method(method)
                if route is not None and not bundle.endpoints.available(route, folded, number):
                    continue  # not in this version, as APIVersioning would answer
                view.versioning_class = None  # nothing for drf-spectacular to resolve
                setattr(view, _DOCUMENTED, self.api_version)
            # Otherwise (a route a preprocessing hook rewrote) drf-spectacular resolves it.
            if known:
                self.route_names.setdefault(path, route)
            kept.append((path, path_regex, method, view))
        return kept


def route_regexes(patterns: tuple[URLEntry, ...]) -> dict[str, str | None]:
    """Each URL pattern's full regex, as drf-spectacular's enumerator spells it, to its name."""
    routes: dict[str, str | None] = {}
    for regex, entry in _walk(patterns, ""):
        routes.setdefault(regex, entry.name)  # the first one wins, as in URL resolution
    return routes


def _walk(patterns: Sequence[URLEntry], prefix: str) -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        regex = prefix + str(entry.pattern)
        if isinstance(entry, URLPattern):
            yield regex, entry
        else:
            yield from _walk(entry.url_patterns, regex)


@lru_cache(maxsize=8)
def version_generator(generator_class: type[SchemaGenerator]) -> type[SchemaGenerator]:
    """The project's generator class (``DEFAULT_GENERATOR_CLASS``) with the mixin in front."""
    return type(f"Version{generator_class.__name__}", (VersionGeneratorMixin, generator_class), {})

"""The declarative change instructions a version lists: what it changed over the one before."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class Change:
    """Base class of every change instruction; ``description`` feeds the changelog."""

    def __init__(self, *, description: str = "") -> None:
        self.description = description

    def describe(self) -> str:
        """A one-line, human description of this change."""
        return self.description or self.default_description()

    def default_description(self) -> str:
        """The description used when the declaration gives none."""
        return type(self).__name__


class EndpointChange(Change):
    """An endpoint (route name, optionally some HTTP methods) that appears or disappears."""

    #: Whether the endpoint exists from the declaring version on (``True``) or stops existing.
    present_from_here: bool

    def __init__(self, route: str, *methods: str, description: str = "") -> None:
        super().__init__(description=description)
        if not isinstance(route, str) or not route:
            raise ImproperlyConfigured(f"{type(self).__name__} needs a route name, got {route!r}.")
        unknown = {method.upper() for method in methods} - HTTP_METHODS
        if unknown:
            raise ImproperlyConfigured(
                f"{type(self).__name__}({route!r}) names unknown HTTP methods: "
                f"{', '.join(sorted(unknown))}."
            )
        self.route = route
        self.methods: frozenset[str] | None = (
            frozenset(method.upper() for method in methods) if methods else None
        )

    def applies_to(self, route: str, method: str) -> bool:
        """Whether this change is about ``method`` on ``route``."""
        return self.route == route and (self.methods is None or method in self.methods)

    def _target(self) -> str:
        methods = f" ({', '.join(sorted(self.methods))})" if self.methods else ""
        return f"`{self.route}`{methods}"


class EndpointAdded(EndpointChange):
    """The endpoint exists from this version on; older versions do not have it."""

    present_from_here = True

    def default_description(self) -> str:
        """Describe the added endpoint."""
        return f"Endpoint {self._target()} added."


class EndpointRemoved(EndpointChange):
    """The endpoint is gone from this version on; older versions still serve it."""

    present_from_here = False

    def default_description(self) -> str:
        """Describe the removed endpoint."""
        return f"Endpoint {self._target()} removed."

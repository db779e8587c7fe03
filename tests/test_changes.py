"""Endpoint change instructions: validation, matching and changelog descriptions."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from versioning_app.changes import EndpointAdded, EndpointRemoved


@pytest.mark.parametrize("cls", [EndpointAdded, EndpointRemoved])
@pytest.mark.parametrize("route", ["", None, 3])
def test_route_is_required(cls: type, route: object) -> None:
    with pytest.raises(ImproperlyConfigured, match="needs a route name"):
        cls(route)


@pytest.mark.parametrize("cls", [EndpointAdded, EndpointRemoved])
def test_unknown_methods_are_refused(cls: type) -> None:
    with pytest.raises(ImproperlyConfigured, match="FETCH, TEAPOT"):
        cls("book-list", "GET", "teapot", "FETCH")


@pytest.mark.parametrize(
    ("methods", "route", "method", "applies"),
    [
        ((), "book-list", "GET", True),
        ((), "book-list", "DELETE", True),
        ((), "book-detail", "GET", False),
        (("post",), "book-list", "POST", True),
        (("POST",), "book-list", "GET", False),
        (("GET", "PUT"), "book-list", "PUT", True),
        (("GET", "PUT"), "author-list", "PUT", False),
    ],
)
def test_applies_to(methods: tuple[str, ...], route: str, method: str, applies: bool) -> None:
    assert EndpointAdded("book-list", *methods).applies_to(route, method) is applies


@pytest.mark.parametrize(
    ("change", "description"),
    [
        (EndpointAdded("author-list"), "Endpoint `author-list` added."),
        (EndpointRemoved("book-similar"), "Endpoint `book-similar` removed."),
        (
            EndpointAdded("book-list", "post", "DELETE"),
            "Endpoint `book-list` (DELETE, POST) added.",
        ),
        (EndpointRemoved("book-list", "GET", description="No listing."), "No listing."),
    ],
)
def test_descriptions(change: EndpointAdded, description: str) -> None:
    assert change.describe() == description


def test_presence_direction() -> None:
    assert EndpointAdded("x").present_from_here is True
    assert EndpointRemoved("x").present_from_here is False
    assert EndpointAdded("x").methods is None
    assert EndpointAdded("x", "get").methods == frozenset({"GET"})

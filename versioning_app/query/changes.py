"""The change instructions for query parameters: what a version did to the names clients send.

A query change names parameters as head's views accept them (a django-filter filter with its
lookups, ``OrderingFilter``'s terms, ``SearchFilter``'s and the paginator's parameters). It
applies to every versioned view that accepts the parameter, or only to ``views`` (view classes
or their dotted paths, subclasses included).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import cached_property
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string
from rest_framework.fields import Field

from versioning_app.changes import Change, Converter

ViewRef = type | str
#: ``to_head(old_value) -> {head parameter: value}``: what a removed parameter means at head.
ToHead = Callable[[Any], Mapping[str, Any]]


def _require_param(change: object, value: object, what: str) -> str:
    if not isinstance(value, str) or not value or len(value) > 100 or "," in value:
        raise ImproperlyConfigured(
            f"{type(change).__name__} needs {what} as a query parameter name, got {value!r}."
        )
    return value


class QueryParamChange(Change):
    """Base class of the query-parameter changes; ``name`` is the name in the declaring version."""

    def __init__(self, name: str, *, views: Iterable[ViewRef] = (), description: str = "") -> None:
        super().__init__(description=description)
        self.name = _require_param(self, name, "a parameter")
        self.view_refs: tuple[ViewRef, ...] = tuple(views)
        for ref in self.view_refs:
            if not isinstance(ref, (type, str)) or not ref:
                raise ImproperlyConfigured(
                    f"{type(self).__name__}({name!r}) needs view classes or dotted paths in "
                    f"views, got {ref!r}."
                )

    @cached_property
    def views(self) -> tuple[type, ...]:
        """The view classes this change is limited to (imported on first use); empty: all."""
        return tuple(import_string(ref) if isinstance(ref, str) else ref for ref in self.view_refs)

    def applies_to(self, view_class: type) -> bool:
        """Whether this change is about ``view_class``'s parameters."""
        return not self.views or issubclass(view_class, self.views)

    @property
    def names(self) -> tuple[str, ...]:
        """The parameter names this change is about (for conflict detection)."""
        return (self.name,)


class QueryParamAdded(QueryParamChange):
    """The parameter (its lookups and ordering term too) exists from this version on.

    Older versions neither document nor read it: sent to them, it is ignored, as DRF ignores
    any parameter a view does not know.
    """

    def default_description(self) -> str:
        """Describe the added parameter."""
        return f"Query parameter `{self.name}` added."


class QueryParamRemoved(QueryParamChange):
    """The parameter is gone from this version on; older versions still accept and document it.

    ``field`` is its DRF definition in the older versions (it validates the value: a bad one is
    a 400); ``to_head(value)`` gives the head parameters it stands for (``{"authors__name":
    value}``), or nothing: then older versions accept the parameter and it has no effect.
    """

    def __init__(
        self,
        name: str,
        field: Field,
        *,
        to_head: ToHead | None = None,
        views: Iterable[ViewRef] = (),
        description: str = "",
    ) -> None:
        super().__init__(name, views=views, description=description)
        if not isinstance(field, Field):
            raise ImproperlyConfigured(
                f"QueryParamRemoved({name!r}) needs the old DRF field definition as field."
            )
        if to_head is not None and not callable(to_head):
            raise ImproperlyConfigured(f"QueryParamRemoved({name!r}) needs a callable to_head.")
        self.field = field
        self.to_head = to_head

    def default_description(self) -> str:
        """Describe the removed parameter."""
        return f"Query parameter `{self.name}` removed."


class QueryParamRenamed(QueryParamChange):
    """The parameter called ``old`` before this version is called ``new`` from this version on.

    The rename carries the filter's lookups (``old__gte`` becomes ``new__gte``) and, unless
    ``ordering=False``, the ``OrderingFilter`` term (``-old`` becomes ``-new``).
    """

    def __init__(
        self,
        old: str,
        new: str,
        *,
        ordering: bool = True,
        views: Iterable[ViewRef] = (),
        description: str = "",
    ) -> None:
        super().__init__(new, views=views, description=description)
        self.old = _require_param(self, old, "the old name")
        if self.old == self.name:
            raise ImproperlyConfigured(f"QueryParamRenamed({old!r}, {new!r}) renames nothing.")
        self.ordering = ordering

    @property
    def names(self) -> tuple[str, ...]:
        """Both names: neither may be the subject of another change in the same version."""
        return (self.old, self.name)

    def default_description(self) -> str:
        """Describe the rename."""
        return f"Query parameter `{self.old}` renamed to `{self.name}`."


class QueryParamTypeChanged(QueryParamChange):
    """The parameter's values (and its lookups') changed type or unit in this version.

    ``old_field`` validates and documents an older version's value; ``to_new(old_value)`` gives
    head's value (a ``ValueError``/``TypeError`` is a 400 naming the parameter), ``to_old`` the
    other way, for the links a response gives back (``next``, ``previous``). Values are the
    fields' native values; ``new_field`` (default: a string) reads head's values in links.
    """

    def __init__(
        self,
        name: str,
        old_field: Field,
        *,
        to_old: Converter,
        to_new: Converter,
        new_field: Field | None = None,
        views: Iterable[ViewRef] = (),
        description: str = "",
    ) -> None:
        super().__init__(name, views=views, description=description)
        if not isinstance(old_field, Field):
            raise ImproperlyConfigured(
                f"QueryParamTypeChanged({name!r}) needs the old DRF field definition as old_field."
            )
        if not (callable(to_old) and callable(to_new)):
            raise ImproperlyConfigured(
                f"QueryParamTypeChanged({name!r}) needs callable converters."
            )
        self.old_field = old_field
        self.new_field = new_field
        self.to_old = to_old
        self.to_new = to_new

    def default_description(self) -> str:
        """Describe the type change."""
        return f"Query parameter `{self.name}` changed type."

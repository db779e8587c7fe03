"""One view's query parameters in one version: prepared once, from head back to that version.

Going back from head, each newer version's query changes (declared, and derived from its
serializer field changes) are applied to head's parameters, in the order of the serializer
chain: type changes first (on that version's names), then added parameters dropped, renamed
ones given their old names, removed ones restored.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from rest_framework.fields import CharField, Field

from versioning_app.changes import Change, FieldAdded, FieldRenamed, FieldTypeChanged
from versioning_app.query.changes import (
    QueryParamAdded,
    QueryParamChange,
    QueryParamRemoved,
    QueryParamRenamed,
    QueryParamTypeChanged,
)
from versioning_app.query.params import FILTER, PAGE, Param, ViewParams, view_params
from versioning_app.versions import VersionBundle, VersionNumber


@dataclass(frozen=True)
class Step:
    """One type change on the way from the served version to head: check, convert, and back."""

    old_field: Field
    new_field: Field
    to_new: Any
    to_old: Any


@dataclass(frozen=True)
class Entry:
    """A parameter as the served version names it, and what it is at head."""

    name: str
    base: str
    suffix: str
    #: head's parameter; ``None`` for a removed one
    head: Param | None
    #: type changes, oldest first: applied in this order on the way to head
    steps: tuple[Step, ...] = ()
    removed: QueryParamRemoved | None = None


@dataclass(frozen=True)
class QueryPlan:
    """What translating one view's query parameters from one version to head takes."""

    #: every parameter the served version accepts, by its name there
    entries: dict[str, Entry]
    #: head names the served version does not have: ignored, as unknown parameters are
    head_only: frozenset[str]
    #: filter names the served version has: ``base__x`` with an unknown ``x`` is a 400
    filter_bases: frozenset[str]
    #: the ordering parameter's name in the served version
    ordering_param: str | None
    #: ordering terms the served version spells otherwise: its term -> head's term
    term_map: dict[str, str]
    #: head terms the served version does not have
    terms_gone: frozenset[str]
    #: the served version's ordering terms, when the view lists them
    ordering_terms: tuple[str, ...] | None
    #: paging parameters whose name or values differ: head name -> entry
    links: dict[str, Entry] = field(default_factory=dict)
    #: (version, name) of each rename onto a name the view already had there (check E029)
    collisions: tuple[tuple[str, str], ...] = ()

    @cached_property
    def client_names(self) -> dict[str, str]:
        """Head's parameter names -> the served version's (what a client sent)."""
        return {
            entry.head.name: name for name, entry in self.entries.items() if entry.head is not None
        }

    @cached_property
    def passive(self) -> bool:
        """Whether a request needs nothing done: no names or values change, none is checked."""
        return (
            self.identity
            and not self.filter_bases
            and all(
                entry.head is None or entry.head.form_field is None
                for entry in self.entries.values()
            )
        )

    @property
    def identity(self) -> bool:
        """Whether head's names and values are this version's (nothing to translate)."""
        return not (
            self.head_only
            or self.term_map
            or self.terms_gone
            or any(
                entry.head is None or entry.steps or entry.name != entry.head.name
                for entry in self.entries.values()
            )
        )


def _rank(change: Change) -> int:
    if isinstance(change, (QueryParamTypeChanged, FieldTypeChanged)):
        return 0
    if isinstance(change, (QueryParamAdded, FieldAdded)):
        return 1
    if isinstance(change, (QueryParamRenamed, FieldRenamed)):
        return 2
    return 3


def query_changes(change: Change, view_class: type) -> list[tuple[Change, bool]]:
    """The query changes ``change`` makes to ``view_class``: (change, filters and terms only).

    A serializer field change is derived onto the view's filters and ordering terms when the
    view's ``serializer_class`` is that serializer (or a subclass) and it did not opt out.
    """
    if isinstance(change, QueryParamChange):
        return [(change, False)] if change.applies_to(view_class) else []
    if isinstance(change, (FieldRenamed, FieldTypeChanged, FieldAdded)) and change.query:
        serializer_class = getattr(view_class, "serializer_class", None)
        if isinstance(serializer_class, type) and change.applies_to(serializer_class):
            return [(change, True)]
    return []


def build_plan(bundle: VersionBundle, view_class: type, number: VersionNumber) -> QueryPlan:
    """The plan of ``view_class``'s query parameters in version ``number``."""
    head = view_params(view_class)
    entries = {
        name: Entry(name, param.base, param.suffix, param) for name, param in head.params.items()
    }
    at_version: dict[str, str] = {term: term for term in head.ordering_terms or ()}
    gone: set[str] = set()
    collisions: list[tuple[str, str]] = []
    for version in reversed(bundle.newer_than(number)):
        changes = [pair for change in version.changes for pair in query_changes(change, view_class)]
        for change, derived in sorted(changes, key=lambda pair: _rank(pair[0])):
            before = len(entries)
            entries = _undo(change, derived, entries)
            if len(entries) < before and isinstance(change, (QueryParamRenamed, FieldRenamed)):
                # Two parameters under one name: the check reports it (E029).
                collisions.append((str(version), change.old))
            _undo_terms(change, at_version, gone, listed=head.ordering_terms is not None)
    return replace(_plan(entries, head, at_version, gone), collisions=tuple(collisions))


def _touches(entry: Entry, name: str, derived: bool) -> bool:
    if entry.base != name:
        return False
    return not derived or (entry.head is not None and entry.head.kind == FILTER)


def _undo(change: Change, derived: bool, entries: dict[str, Entry]) -> dict[str, Entry]:
    if isinstance(change, QueryParamRemoved):
        entry = Entry(change.name, change.name, "", None, removed=change)
        return {**entries, change.name: entry}
    name = change.name  # type: ignore[attr-defined]
    kept: dict[str, Entry] = {}
    for key, entry in entries.items():
        if not _touches(entry, name, derived):
            kept[key] = entry
        elif isinstance(change, (QueryParamAdded, FieldAdded)):
            continue  # not in the older version
        elif isinstance(change, (QueryParamRenamed, FieldRenamed)):
            renamed = change.old + entry.suffix
            kept[renamed] = replace(entry, name=renamed, base=change.old)
        elif isinstance(change, (QueryParamTypeChanged, FieldTypeChanged)):
            new_field = getattr(change, "new_field", None) or CharField()
            step = Step(change.old_field, new_field, change.to_new, change.to_old)
            kept[key] = replace(entry, steps=(step, *entry.steps))
        else:
            kept[key] = entry
    return kept


def _undo_terms(
    change: Change, at_version: dict[str, str], gone: set[str], *, listed: bool
) -> None:
    """Going back over ``change``: ordering terms by their name then (-> head's term)."""
    if isinstance(change, QueryParamRenamed) and not change.ordering:
        return
    if not isinstance(change, (QueryParamRenamed, FieldRenamed, QueryParamAdded, FieldAdded)):
        return
    name = change.name
    if name in at_version:
        head_term: str | None = at_version.pop(name)
    elif listed:
        return  # not one of the terms the view lists: nothing to rename
    else:
        # A term of DRF's defaults the view does not list: it is head's, unless gone already.
        head_term = None if name in gone else name
    if head_term is None:
        return
    gone.update({name, head_term})
    if isinstance(change, (QueryParamRenamed, FieldRenamed)):
        at_version[change.old] = head_term


def _plan(
    entries: dict[str, Entry],
    head: ViewParams,
    at_version: dict[str, str],
    gone: set[str],
) -> QueryPlan:
    accepted = set(entries)
    head_only = frozenset(name for name in head.params if name not in accepted)
    filter_bases = frozenset(
        entry.base for entry in entries.values() if entry.head and entry.head.kind == FILTER
    )
    ordering_param = next(
        (
            entry.name
            for entry in entries.values()
            if entry.head is not None and entry.head.name == head.ordering_param
        ),
        None,
    )
    term_map = {term: head_term for term, head_term in at_version.items() if term != head_term}
    terms_gone = frozenset(term for term in gone if term not in at_version)
    listed = head.ordering_terms
    ordering_terms = (
        tuple(
            sorted(
                (term for term, head_term in at_version.items() if head_term in listed),
                key=lambda term: listed.index(at_version[term]),
            )
        )
        if listed is not None
        else None
    )
    links = {
        entry.head.name: entry
        for entry in entries.values()
        if entry.head is not None
        and entry.head.kind == PAGE
        and (entry.steps or entry.name != entry.head.name)
    }
    return QueryPlan(
        entries,
        head_only,
        filter_bases,
        ordering_param,
        term_map,
        terms_gone,
        ordering_terms,
        links,
    )

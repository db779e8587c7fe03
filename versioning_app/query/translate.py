"""The request's query parameters, translated to head's names and types once per request.

``APIVersioning.determine_version`` calls :func:`translate_query` right after the decision, so
every filter backend, paginator and view reads head's names from ``request.query_params``;
the client's own ``QueryDict`` stays at ``request.client_query_params``. A bad value or an
unknown lookup of a known filter is a 400 problem naming the parameter as the client did.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django import forms
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from versioning_app.decision import decision_of
from versioning_app.errors import (
    QUERY_NAMES_ATTRIBUTE,
    InvalidQueryParameter,
    invalid_query_parameter,
)
from versioning_app.query.params import LIST_LOOKUPS, ORDERING, UNCONVERTED_LOOKUPS, split_name
from versioning_app.query.plan import Entry, QueryPlan, Step, build_plan
from versioning_app.versions import VersionBundle, VersionNumber

#: Where the client's own query parameters stay (on the HttpRequest; DRF's Request reads through).
ORIGINAL_ATTRIBUTE = "client_query_params"
#: The plan whose paging parameters the response's links must be given back in.
_LINKS_ATTRIBUTE = "_versioning_app_query_links"
#: A longer parameter name is never a known one: passed through untouched, never echoed back.
MAX_NAME_LENGTH = 100
LINK_KEYS = ("next", "previous")


def plan_for(bundle: VersionBundle, view_class: type, number: VersionNumber) -> QueryPlan:
    """The plan of ``view_class`` in version ``number``: built once, kept on the bundle."""
    plans = bundle.caches.query_plans
    key = (view_class, number)
    plan: QueryPlan | None = plans.get(key)
    if plan is None:
        # Keyed by view classes (from the URLconf) and declared versions: bounded by the code.
        plan = plans[key] = build_plan(bundle, view_class, number)
    return plan


def translate_query(request: Request, bundle: VersionBundle) -> None:
    """Give the request head's query parameters (after its decision); raise the 400 problem."""
    http_request = request._request
    if not http_request.META.get("QUERY_STRING"):
        return
    decision = decision_of(http_request)
    view = (getattr(request, "parser_context", None) or {}).get("view")
    if decision is None or decision.number is None or view is None:
        return
    plan = plan_for(bundle, type(view), decision.number)
    query = http_request.GET
    setattr(http_request, ORIGINAL_ATTRIBUTE, query)
    # What the exception handler needs to name a filter backend's own errors as the client did.
    setattr(http_request, QUERY_NAMES_ATTRIBUTE, plan.client_names)
    if plan.passive:
        return
    translated = translate(query, plan)
    if translated is not query:
        # Django's own attribute: DRF's ``request.query_params`` is this QueryDict.
        # (django-stubs type GET as the immutable QueryDict that Django builds; so is this one)
        http_request.GET = translated  # type: ignore[assignment]
    if plan.links:
        setattr(http_request, _LINKS_ATTRIBUTE, plan)


def translate(query: QueryDict, plan: QueryPlan) -> QueryDict:
    """``query`` in head's names and types (``query`` itself when nothing changes)."""
    pairs: list[tuple[str, str]] = []
    changed = False
    entries = plan.entries
    for key, values in query.lists():
        entry = entries.get(key)
        if entry is None:
            if key in plan.head_only:
                changed = True  # head's name, unknown to this version: ignored, as DRF would
                continue
            base, lookup = split_name(key)
            if lookup and base in plan.filter_bases and len(key) <= MAX_NAME_LENGTH:
                raise _problem(key, _("This filter has no such lookup in this version."))
            pairs.extend((key, value) for value in values)
            continue
        if entry.removed is not None:
            changed = True
            for value in values:
                pairs.extend(_removed(entry, value))
            continue
        head = entry.head
        assert head is not None  # only removed parameters have no head
        changed = changed or head.name != key
        for value in values:
            if "\x00" in value:
                # No database stores it in a string (PostgreSQL refuses it): a 400, not a 500.
                raise _problem(key, _("This value contains a NUL character."))
            text = value
            if entry.steps and text != "":
                text = _convert(key, entry.suffix, entry.steps, text)
            if head.kind == ORDERING:
                text = _order(text, plan)
            elif head.form_field is not None:
                _check(key, head.form_field, text)
            changed = changed or text != value
            pairs.append((head.name, text))
    if not changed:
        return query
    translated = QueryDict(mutable=True, encoding=query.encoding)
    for name, value in pairs:
        translated.appendlist(name, value)
    # Immutable like the QueryDict Django made (a view that wants to change it copies it).
    return QueryDict(translated.urlencode(), encoding=query.encoding)


def _problem(name: str, message: str) -> InvalidQueryParameter:
    return invalid_query_parameter(name, message)


def _messages(error: Exception) -> str:
    if isinstance(error, ValidationError):
        detail = error.detail
        items: Iterable[Any] = detail if isinstance(detail, list) else [detail]
        return " ".join(str(item) for item in items)
    if isinstance(error, forms.ValidationError):
        return " ".join(str(message) for message in error.messages)
    return _("This value cannot be read.")


def _check(name: str, field: forms.Field, value: str) -> None:
    try:
        field.clean(value)
    except forms.ValidationError as error:
        raise _problem(name, _messages(error)) from None


def as_text(value: Any) -> str:
    """A native value as a query string writes it (ISO dates, plain decimals, true/false)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    return str(value)


def _convert(name: str, lookup: str, steps: tuple[Step, ...], value: str) -> str:
    if lookup in UNCONVERTED_LOOKUPS:
        return value
    pieces = value.split(",") if lookup in LIST_LOOKUPS else [value]
    converted = []
    for piece in pieces:
        for step in steps:
            try:
                piece = as_text(step.to_new(step.old_field.run_validation(piece)))
            except (ValidationError, ValueError, TypeError, ArithmeticError) as error:
                raise _problem(name, _messages(error)) from None
        converted.append(piece)
    return ",".join(converted)


def _removed(entry: Entry, value: str) -> list[tuple[str, str]]:
    change = entry.removed
    assert change is not None
    if value == "":
        return []
    try:
        native = change.field.run_validation(value)
        meaning = change.to_head(native) if change.to_head is not None else {}
    except (ValidationError, ValueError, TypeError, ArithmeticError) as error:
        raise _problem(entry.name, _messages(error)) from None
    pairs: list[tuple[str, str]] = []
    for name, head_value in meaning.items():
        items = head_value if isinstance(head_value, (list, tuple)) else [head_value]
        pairs.extend((name, as_text(item)) for item in items)
    return pairs


def _order(value: str, plan: QueryPlan) -> str:
    if not (plan.term_map or plan.terms_gone):
        return value
    terms = []
    for raw in value.split(","):
        term = raw.strip()
        descending = term.startswith("-")
        name = term[1:] if descending else term
        if name in plan.term_map:
            name = plan.term_map[name]
        elif name in plan.terms_gone:
            continue  # head's term, unknown to this version: dropped, as DRF drops bad terms
        terms.append(f"-{name}" if descending else name)
    return ",".join(terms)


def restore_links(request: HttpRequest, data: Any) -> None:
    """Give a paginated body's ``next``/``previous`` back in the served version's names."""
    plan: QueryPlan | None = getattr(request, _LINKS_ATTRIBUTE, None)
    if plan is None or not isinstance(data, dict):
        return
    for key in LINK_KEYS:
        link = data.get(key)
        if isinstance(link, str) and link:
            data[key] = _link(link, plan)


def _link(link: str, plan: QueryPlan) -> str:
    parts = urlsplit(link)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    # The paginator built the link from the client's URL and set (or removed) its own
    # parameter under head's name: the client's spelling of it is stale either way.
    stale = {entry.name for entry in plan.links.values()}
    kept = []
    for name, value in pairs:
        entry = plan.links.get(name)
        if entry is not None:
            kept.append((entry.name, _back(entry, value)))
        elif name not in stale:
            kept.append((name, value))
    return urlunsplit(parts._replace(query=urlencode(kept)))


def _back(entry: Entry, value: str) -> str:
    for step in reversed(entry.steps):
        try:
            value = as_text(step.to_old(step.new_field.run_validation(value)))
        except (ValidationError, ValueError, TypeError, ArithmeticError):
            return value  # our own link: left as the paginator wrote it
    return value

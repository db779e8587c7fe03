"""The checks that make a pair fair: both sides return the same bytes and make the same queries."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from benchmarks.pair import BaselineMismatch


def _fetch(client: Client, path: str) -> tuple[Any, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    if response.status_code != 200:
        raise BaselineMismatch(
            f"{path} answered {response.status_code}: {response.content[:200]!r}"
        )
    return response, [query["sql"] for query in queries.captured_queries]


def same_response(
    client: Client, plain: str, ours: str, our_headers: Iterable[str] = ()
) -> Callable[[], None]:
    """A check: ``plain`` and ``ours`` answer byte-identical bodies after equal query counts.

    ``our_headers`` must be on our response: the lifecycle state the pair means to measure is
    the one the request path served (a deprecated version's ``Deprecation``, ``Sunset``...).
    """

    def check() -> None:
        for path in (plain, ours):  # warm: a first request may fill per-process caches
            client.get(path)
        plain_response, plain_queries = _fetch(client, plain)
        our_response, our_queries = _fetch(client, ours)
        if plain_response.content != our_response.content:
            raise BaselineMismatch(
                f"{plain} and {ours} return different bodies:\n"
                f"  plain: {plain_response.content[:300]!r}\n"
                f"  ours:  {our_response.content[:300]!r}"
            )
        if len(plain_queries) != len(our_queries):
            raise BaselineMismatch(
                f"{plain} makes {len(plain_queries)} queries, {ours} {len(our_queries)}:\n"
                + "\n".join(f"  plain: {sql[:120]}" for sql in plain_queries)
                + "\n"
                + "\n".join(f"  ours:  {sql[:120]}" for sql in our_queries)
            )
        absent = [name for name in our_headers if not our_response.has_header(name)]
        if absent:
            raise BaselineMismatch(
                f"{ours} lacks {', '.join(absent)}: not the lifecycle state the pair measures "
                f"(headers: {dict(our_response.headers)})"
            )

    return check


def operations(document: dict[str, Any], prefix: str) -> set[tuple[str, str]]:
    """The (path without ``prefix``, method) of every operation an OpenAPI document holds."""
    found = set()
    for url, item in document["paths"].items():
        if not url.startswith(prefix):
            raise BaselineMismatch(f"{url} is not under {prefix}")
        for method in item:
            if method in {"get", "put", "patch", "post", "delete", "head", "options", "trace"}:
                found.add((url.removeprefix(prefix), method))
    return found


def same_operations(
    plain: Callable[[], dict[str, Any]],
    ours: Callable[[], dict[str, Any]],
    plain_prefix: str,
    our_prefix: str,
) -> Callable[[], None]:
    """A check: both schema generators document the same operations (paths and methods)."""

    def check() -> None:
        plain_ops = operations(plain(), plain_prefix)
        our_ops = operations(ours(), our_prefix)
        if plain_ops != our_ops:
            raise BaselineMismatch(
                "the schema documents differ in operations: plain only "
                f"{sorted(plain_ops - our_ops)}, ours only {sorted(our_ops - plain_ops)}"
            )

    return check

"""A JSON parser bounded in depth: a body nested too deep is a 400 problem, never a 500.

DRF's ``JSONParser`` lets the ``RecursionError`` of a body nested about a thousand deep through
(a 500). This one refuses a body nested deeper than ``VERSIONING_APP['JSON_MAX_DEPTH']`` before
any serializer sees it. Its size is bounded before parsing, by Django's
``DATA_UPLOAD_MAX_MEMORY_SIZE`` (DRF reads a JSON body through ``request.body``), and
``errors.exception_handler`` answers a larger one with a 413 problem.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from typing import IO, Any

from django.utils.translation import gettext
from rest_framework import parsers

from versioning_app.conf import app_settings
from versioning_app.errors import BodyTooDeep


def nesting_exceeds(data: object, limit: int) -> bool:
    """Whether ``data`` holds lists or objects nested deeper than ``limit``; no recursion."""
    stack: list[tuple[object, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        children: Iterable[object]
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, bounded in depth (``JSON_MAX_DEPTH``)."""

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        """The parsed body, or a problem when it is nested too deep."""
        body = stream.read()
        depth = app_settings.JSON_MAX_DEPTH
        try:
            data = super().parse(io.BytesIO(body), media_type, parser_context)
        except RecursionError:
            data, deep = None, True
        else:
            # Only a body with more brackets than the bound can be nested deeper than it:
            # counting them is a fast scan, the walk is paid by such bodies only.
            deep = body.count(b"[") + body.count(b"{") > depth and nesting_exceeds(data, depth)
        if deep:
            raise BodyTooDeep(
                gettext("The request body is nested deeper than %(depth)d levels.")
                % {"depth": depth},
                max_depth=depth,
            )
        return data

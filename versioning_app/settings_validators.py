"""The validators of ``settings_spec``: each returns when a value is acceptable, else raises.

Split from ``settings_spec`` (one job each: the entries there, the checks of a value here).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.module_loading import import_string

from versioning_app.versions import VersionBundle

# A validator returns when the value is acceptable and raises otherwise; the exception's text,
# if any, is the detail shown after the message.
Validator = Callable[[Any], object]


class Invalid(ValueError):
    """Raised by a validator: the value is not acceptable (the text, if any, says why)."""


def _number(*, minimum: float = 0, above: bool = False, whole: bool = False) -> Validator:
    """A number (not a bool) >= ``minimum``, or > it with ``above``; an int with ``whole``."""

    def validate(value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise Invalid()
        if (
            (whole and not isinstance(value, int))
            or value < minimum
            or (above and value == minimum)
        ):
            raise Invalid()

    return validate


def _or_none(validator: Validator) -> Validator:
    return lambda value: None if value is None else validator(value)


def _one_of(*choices: object) -> Validator:
    def validate(value: object) -> None:
        if value not in choices:
            raise Invalid()

    return validate


def _string(value: object) -> None:
    if not isinstance(value, str):
        raise Invalid()


def _bool(value: object) -> None:
    if not isinstance(value, bool):  # 1 == True, but 1 is not a bool
        raise Invalid()


# RFC 9110 token characters: what a header field name may contain.
_HEADER_NAME_RE = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


def _header_name(value: object) -> None:
    if not isinstance(value, str) or not _HEADER_NAME_RE.fullmatch(value):
        raise Invalid()


def _origin(value: object) -> None:
    """An http(s) URL of a host alone: the path of each link comes from ``reverse()``."""
    if not isinstance(value, str):
        raise Invalid()
    parts = urlsplit(value)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
    ):
        raise Invalid()


def _cache_alias(value: object) -> None:
    if not isinstance(value, str) or value not in settings.CACHES:
        raise Invalid(f"CACHES has: {', '.join(sorted(settings.CACHES)) or 'no caches'}")


def _callable_path(value: object) -> None:
    if not isinstance(value, str):
        raise Invalid()
    if not callable(import_string(value)):
        raise Invalid("not callable")


def _slot_seconds(value: object) -> None:
    _number(minimum=1, whole=True)(value)
    if not isinstance(value, int) or 86400 % value:
        raise Invalid()


def bundle_from(value: object) -> VersionBundle:
    """The VersionBundle a ``VERSIONS`` value names (or is); raises if it names none."""
    if isinstance(value, VersionBundle):
        return value
    if not isinstance(value, str) or not value:
        raise Invalid()
    bundle = import_string(value)
    if not isinstance(bundle, VersionBundle):
        raise Invalid(f"it is a {type(bundle).__name__}, not a VersionBundle")
    return bundle


def _permission_classes(value: object) -> None:
    # DRF's permissions module is imported only when the check runs, not with the settings.
    from rest_framework.permissions import BasePermission, OperandHolder

    if not isinstance(value, list | tuple):
        raise Invalid("not a list")
    for item in value:
        try:
            permission = import_string(item) if isinstance(item, str) else item
        except ImportError:
            raise Invalid(f"{item!r} cannot be imported") from None
        if not (
            isinstance(permission, OperandHolder)
            or (isinstance(permission, type) and issubclass(permission, BasePermission))
        ):
            raise Invalid(f"{item!r} is not a DRF permission class")

"""Any version's payloads outside an HTTP request: ``serialize()`` and ``serializer_for()``.

Webhooks, background jobs and queues render or read a payload of one API version; these two
functions bind a serializer to that version, hyperlinks included.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.http import QueryDict
from rest_framework import serializers

from versioning_app.conf import app_settings
from versioning_app.settings_spec import SETTINGS
from versioning_app.versioning import APIVersioning
from versioning_app.versions import VersionNumber


class _VersionedLinks:
    """The request a serializer bound to a version sees: its hyperlinks follow that version.

    DRF reverses a hyperlink with ``request.versioning_scheme`` and ``request.version`` (the
    scheme puts the view name in that version's major namespace), makes it absolute with
    ``request.build_absolute_uri``, and checks an incoming one's view name the same way
    ("Incorrect URL match"). This stand-in answers those three for the version asked for;
    every other attribute is the current request's, when there is one. Without one, ``GET``
    is empty: DRF's ``reverse()`` reads it for the ``?format=`` override it carries over.
    """

    def __init__(self, number: VersionNumber, current: Any, base_url: str | None) -> None:
        self.version = str(number)
        scheme = getattr(current, "versioning_scheme", None)
        # The project's own APIVersioning subclass, if it has one; any other scheme would
        # reverse in the current request's shape, not in ``number``'s major namespace.
        self.versioning_scheme = scheme if isinstance(scheme, APIVersioning) else APIVersioning()
        self._current = current
        self._base_url = base_url
        if current is None:
            self.GET = QueryDict()

    def build_absolute_uri(self, location: str | None = None) -> str:
        """``location`` on the given base URL, else on the current request's host."""
        base = self._base_url
        if base is None and self._current is not None:
            uri: str = self._current.build_absolute_uri(location)
            return uri
        if base is None:
            base = app_settings.LINK_BASE_URL
            problem = SETTINGS["LINK_BASE_URL"].problem(base)
            if base is None or problem is not None:
                raise ImproperlyConfigured(
                    f"A hyperlink of API version {self.version} was rendered without a "
                    "request, so it has no host. Pass base_url= to serialize() or "
                    "serializer_for(), or set VERSIONING_APP['LINK_BASE_URL'] "
                    f"(for example 'https://api.example.com').{' ' + problem if problem else ''}"
                )
        return urljoin(base, location or "/")

    def __getattr__(self, name: str) -> Any:
        # Only reached for what the stand-in does not answer itself (user, method, ...).
        current = self.__dict__.get("_current")
        if current is None:
            raise AttributeError(f"{name!r}: no request was given in context['request'].")
        return getattr(current, name)


def _linked_context(
    context: dict[str, Any], number: VersionNumber, base_url: str | None
) -> dict[str, Any]:
    """``context`` with ``api_version`` and a request whose hyperlinks follow ``number``."""
    current = context.get("request")
    if isinstance(current, _VersionedLinks):  # a context from an earlier serializer_for()
        base_url = base_url if base_url is not None else current._base_url
        current = current._current
    return {
        **context,
        "api_version": number,
        "request": _VersionedLinks(number, current, base_url),
    }


def _checked_base_url(base_url: str | None) -> str | None:
    problem = None if base_url is None else SETTINGS["LINK_BASE_URL"].problem(base_url)
    if problem is not None:
        raise ValueError(problem.replace("VERSIONING_APP['LINK_BASE_URL']", "base_url"))
    return base_url


def serializer_for(
    serializer_class: type[serializers.BaseSerializer],
    *args: Any,
    version: str | VersionNumber,
    base_url: str | None = None,
    **kwargs: Any,
) -> serializers.BaseSerializer:
    """Instantiate ``serializer_class`` bound to ``version``, outside an HTTP request.

    Hyperlinks are reversed and matched in ``version``'s major namespace whatever request
    ``context["request"]`` holds; they are absolute on ``base_url``, else on that request's
    host, else on the ``LINK_BASE_URL`` setting.
    """
    number = version if isinstance(version, VersionNumber) else VersionNumber.parse(version)
    if number not in app_settings.versions:
        raise ValueError(f"API version {number} is not declared.")
    context = _linked_context(
        kwargs.pop("context", None) or {}, number, _checked_base_url(base_url)
    )
    return serializer_class(*args, context=context, **kwargs)


def serialize(
    serializer_class: type[serializers.BaseSerializer],
    instance: Any,
    *,
    version: str | VersionNumber,
    many: bool | None = None,
    context: dict[str, Any] | None = None,
    base_url: str | None = None,
) -> Any:
    """Render one instance (or many) exactly as API ``version`` does (webhooks, jobs)."""
    if many is None:
        many = isinstance(instance, (QuerySet, list, tuple))
    serializer = serializer_for(
        serializer_class,
        instance,
        version=version,
        many=many,
        context=context or {},
        base_url=base_url,
    )
    return serializer.data

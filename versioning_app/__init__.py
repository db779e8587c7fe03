"""Versioned REST APIs for Django REST framework: one URL namespace per major, head-only code.

Everything a project writes is importable from here::

    from versioning_app import FieldRenamed, Version, VersionBundle, versioned_urls

Names are loaded on first use, so importing the package needs no configured settings: the
declaration classes can be imported by a settings module, and the serializer, URL and
lifecycle names only once Django is set up, as with Django's own modules.
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

try:
    __version__ = version("django-versioning-app")
except PackageNotFoundError:  # imported from a source tree that was never installed
    __version__ = "0+unknown"

if TYPE_CHECKING:
    from versioning_app.changes import (
        Change,
        EndpointAdded,
        EndpointRemoved,
        EnumChoiceAdded,
        EnumChoiceRemoved,
        FieldAdded,
        FieldRemoved,
        FieldRenamed,
        FieldTypeChanged,
        RequestMigration,
        ResponseMigration,
    )
    from versioning_app.decision import ChosenBy, Decision
    from versioning_app.errors import Problem, exception_handler
    from versioning_app.lifecycle import (
        TransitionRefused,
        cancel_deprecation,
        deprecate,
        get_snapshot,
        plan_brownouts,
        retire,
        schedule_brownout,
        set_policies,
        stabilize,
    )
    from versioning_app.metadata import VersionedMetadata
    from versioning_app.middleware import VersioningMiddleware
    from versioning_app.payloads import serialize, serializer_for
    from versioning_app.query.changes import (
        QueryParamAdded,
        QueryParamRemoved,
        QueryParamRenamed,
        QueryParamTypeChanged,
    )
    from versioning_app.renderers import VersionedBrowsableAPIRenderer
    from versioning_app.routing import versioned_urls
    from versioning_app.serializers import (
        VersionedModelSerializer,
        VersionedSerializer,
        VersionedSerializerMixin,
        is_versioned,
    )
    from versioning_app.versioning import APIVersioning
    from versioning_app.versions import (
        Version,
        VersionBundle,
        VersionDeclarationError,
        VersionNumber,
    )

# Public name -> the module that defines it.
_EXPORTS = {
    "Version": "versions",
    "VersionBundle": "versions",
    "VersionNumber": "versions",
    "VersionDeclarationError": "versions",
    "Change": "changes",
    "EndpointAdded": "changes",
    "EndpointRemoved": "changes",
    "EnumChoiceAdded": "changes",
    "EnumChoiceRemoved": "changes",
    "FieldAdded": "changes",
    "FieldRemoved": "changes",
    "FieldRenamed": "changes",
    "FieldTypeChanged": "changes",
    "RequestMigration": "changes",
    "ResponseMigration": "changes",
    "QueryParamAdded": "query.changes",
    "QueryParamRemoved": "query.changes",
    "QueryParamRenamed": "query.changes",
    "QueryParamTypeChanged": "query.changes",
    "versioned_urls": "routing",
    "VersionedModelSerializer": "serializers",
    "VersionedSerializer": "serializers",
    "VersionedSerializerMixin": "serializers",
    "is_versioned": "serializers",
    "serialize": "payloads",
    "serializer_for": "payloads",
    "TransitionRefused": "lifecycle",
    "cancel_deprecation": "lifecycle",
    "deprecate": "lifecycle",
    "get_snapshot": "lifecycle",
    "retire": "lifecycle",
    "stabilize": "lifecycle",
    "schedule_brownout": "lifecycle",
    "plan_brownouts": "lifecycle",
    "set_policies": "lifecycle",
    "APIVersioning": "versioning",
    "ChosenBy": "decision",
    "Decision": "decision",
    "VersioningMiddleware": "middleware",
    "VersionedMetadata": "metadata",
    "VersionedBrowsableAPIRenderer": "renderers",
    "Problem": "errors",
    "exception_handler": "errors",
}

__all__ = [
    "APIVersioning",
    "Change",
    "ChosenBy",
    "Decision",
    "EndpointAdded",
    "EndpointRemoved",
    "EnumChoiceAdded",
    "EnumChoiceRemoved",
    "FieldAdded",
    "FieldRemoved",
    "FieldRenamed",
    "FieldTypeChanged",
    "Problem",
    "QueryParamAdded",
    "QueryParamRemoved",
    "QueryParamRenamed",
    "QueryParamTypeChanged",
    "RequestMigration",
    "ResponseMigration",
    "TransitionRefused",
    "Version",
    "VersionBundle",
    "VersionDeclarationError",
    "VersionNumber",
    "VersionedBrowsableAPIRenderer",
    "VersionedMetadata",
    "VersionedModelSerializer",
    "VersionedSerializer",
    "VersionedSerializerMixin",
    "VersioningMiddleware",
    "__version__",
    "cancel_deprecation",
    "deprecate",
    "exception_handler",
    "get_snapshot",
    "is_versioned",
    "plan_brownouts",
    "retire",
    "schedule_brownout",
    "serialize",
    "serializer_for",
    "set_policies",
    "stabilize",
    "versioned_urls",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # the next access is a plain module attribute
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])

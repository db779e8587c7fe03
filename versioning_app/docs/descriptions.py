"""Components' descriptions: the project's own words, and only where they fit the version."""

from __future__ import annotations

import inspect
from typing import Any

from drf_spectacular.drainage import get_override
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.settings import spectacular_settings

from versioning_app.chain import chain_for
from versioning_app.conf import app_settings
from versioning_app.serializers import is_versioned
from versioning_app.versions import VersionNumber


def describe_components(
    schema: dict[str, Any], generator: SchemaGenerator, number: VersionNumber
) -> None:
    """Describe versioned serializers' components with the project's words, where right.

    drf-spectacular takes the first docstring up the serializer's MRO, which for a serializer
    without one is this package's ``VersionedModelSerializer``'s. The rule instead: the project's
    own description (``extend_schema_serializer(description=...)``, else the docstring of the
    project's class or of its own bases), and none for a version in which a declared change
    reshapes the serializer: that text was written for head's shape.
    """
    registry = getattr(generator, "registry", None)
    if registry is None:
        return
    for name, component in schema.get("components", {}).get("schemas", {}).items():
        if "description" not in component:
            continue  # described by nobody (a paginated list, ...): nothing leaked
        try:
            owner = registry[(name, ResolvedComponent.SCHEMA)].object
        except KeyError:
            continue  # added afterwards (our Problem components, APPEND_COMPONENTS)
        serializer_class = owner if isinstance(owner, type) else type(owner)
        if not is_versioned(serializer_class):
            continue
        description = "" if _reshaped(serializer_class, number) else _own_doc(serializer_class)
        if description:
            component["description"] = description
        else:
            del component["description"]


def _reshaped(serializer_class: type, number: VersionNumber) -> bool:
    """Whether a change declared after ``number`` touches ``serializer_class``."""
    chain = chain_for(app_settings.versions, serializer_class, number)
    return chain is not None and bool(
        chain.field_changes or chain.response_migrations or chain.request_migrations
    )


def _own_doc(serializer_class: type) -> str:
    """The project's description of a serializer: drf-spectacular's, without our classes."""
    override = get_override(serializer_class, "description")
    if override is not None:
        return str(override)
    if spectacular_settings.DISABLE_DOCSTRING_DESCRIPTIONS:
        return ""
    libraries = spectacular_settings.GET_LIB_DOC_EXCLUDES()
    for cls in serializer_class.__mro__:
        # The walk stops where the libraries' classes start, ours included.
        if cls in libraries or cls.__module__.partition(".")[0] == "versioning_app":
            return ""
        if cls.__doc__:
            doc = inspect.cleandoc(cls.__doc__).rstrip()
            return "\n".join(line.rstrip() for line in doc.split("\n"))
    return ""

"""The declarative change instructions a version lists: what it changed over the one before."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import cached_property
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string
from rest_framework.fields import Field

HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
#: What any other method a client sends is decided and counted as: clients choose methods.
OTHER_METHOD = "OTHER"


class Change:
    """Base class of every change instruction; ``description`` feeds the changelog."""

    def __init__(self, *, description: str = "") -> None:
        self.description = description

    def describe(self) -> str:
        """A one-line, human description of this change."""
        return self.description or self.default_description()

    def default_description(self) -> str:
        """The description used when the declaration gives none."""
        return type(self).__name__

    @property
    def in_changelog(self) -> bool:
        """Whether the changelog lists this change."""
        return True


class EndpointChange(Change):
    """An endpoint (route name, optionally some HTTP methods) that appears or disappears."""

    #: Whether the endpoint exists from the declaring version on (``True``) or stops existing.
    present_from_here: bool

    def __init__(self, route: str, *methods: str, description: str = "") -> None:
        super().__init__(description=description)
        if not isinstance(route, str) or not route:
            raise ImproperlyConfigured(f"{type(self).__name__} needs a route name, got {route!r}.")
        unknown = {method.upper() for method in methods} - HTTP_METHODS
        if unknown:
            raise ImproperlyConfigured(
                f"{type(self).__name__}({route!r}) names unknown HTTP methods: "
                f"{', '.join(sorted(unknown))}."
            )
        self.route = route
        self.methods: frozenset[str] | None = (
            frozenset(method.upper() for method in methods) if methods else None
        )

    def applies_to(self, route: str, method: str) -> bool:
        """Whether this change is about ``method`` on ``route``."""
        return self.route == route and (self.methods is None or method in self.methods)

    def _target(self) -> str:
        methods = f" ({', '.join(sorted(self.methods))})" if self.methods else ""
        return f"`{self.route}`{methods}"


class EndpointAdded(EndpointChange):
    """The endpoint exists from this version on; older versions do not have it."""

    present_from_here = True

    def default_description(self) -> str:
        """Describe the added endpoint."""
        return f"Endpoint {self._target()} added."


class EndpointRemoved(EndpointChange):
    """The endpoint is gone from this version on; older versions still serve it."""

    present_from_here = False

    def default_description(self) -> str:
        """Describe the removed endpoint."""
        return f"Endpoint {self._target()} removed."


# --- Changes bound to a serializer -------------------------------------------------------------

SerializerRef = type | str


def _require_name(change: object, value: object, what: str) -> str:
    if not isinstance(value, str) or not value.isidentifier():
        raise ImproperlyConfigured(
            f"{type(change).__name__} needs {what} as a field name, got {value!r}."
        )
    return value


class SerializerChange(Change):
    """A change to one serializer's fields or data; applies wherever that serializer appears.

    ``serializer`` is the head serializer class (or its dotted path, to avoid import cycles).
    The change also applies to subclasses of that serializer.
    """

    def __init__(self, serializer: SerializerRef, *, description: str = "") -> None:
        super().__init__(description=description)
        if not isinstance(serializer, (type, str)) or not serializer:
            raise ImproperlyConfigured(
                f"{type(self).__name__} needs a serializer class or its dotted path, "
                f"got {serializer!r}."
            )
        self.serializer_ref = serializer

    @cached_property
    def serializer(self) -> type:
        """The serializer class this change is bound to (imported on first use)."""
        if isinstance(self.serializer_ref, str):
            imported: type = import_string(self.serializer_ref)
            return imported
        return self.serializer_ref

    @property
    def serializer_name(self) -> str:
        """The serializer's class name, for messages and descriptions."""
        ref = self.serializer_ref
        return ref.rsplit(".", 1)[-1] if isinstance(ref, str) else ref.__name__

    def applies_to(self, serializer_class: type) -> bool:
        """Whether this change is about ``serializer_class`` (or one of its bases)."""
        return issubclass(serializer_class, self.serializer)


class FieldChange(SerializerChange):
    """A declarative change to one field; ``name`` is its name in the declaring version."""

    def __init__(self, serializer: SerializerRef, name: str, *, description: str = "") -> None:
        super().__init__(serializer, description=description)
        self.name = _require_name(self, name, "a field")

    @property
    def names(self) -> tuple[str, ...]:
        """The field names this change is about (for conflict detection)."""
        return (self.name,)


class FieldAdded(FieldChange):
    """The field exists from this version on; older versions neither render nor accept it.

    Query parameters named after the field (its filters and ordering term) are added with it,
    unless ``query=False``.
    """

    def __init__(
        self, serializer: SerializerRef, name: str, *, query: bool = True, description: str = ""
    ) -> None:
        super().__init__(serializer, name, description=description)
        self.query = query

    def default_description(self) -> str:
        """Describe the added field."""
        return f"`{self.serializer_name}.{self.name}` added."


class FieldRemoved(FieldChange):
    """The field is gone from this version on; older versions still render and accept it.

    ``field`` is the old field's DRF definition (as it was declared on the serializer), so
    older versions validate, render and document it. A value the instance no longer holds
    renders as ``null`` in its place; fill it with a :class:`ResponseMigration`. ``after`` names the
    field it followed, to keep the old field order.
    """

    def __init__(
        self,
        serializer: SerializerRef,
        name: str,
        field: Field | None = None,
        *,
        after: str | None = None,
        description: str = "",
    ) -> None:
        super().__init__(serializer, name, description=description)
        self.field = field
        self.after = after if after is None else _require_name(self, after, "`after`")

    def default_description(self) -> str:
        """Describe the removed field."""
        return f"`{self.serializer_name}.{self.name}` removed."


class FieldRenamed(FieldChange):
    """The field called ``old`` before this version is called ``new`` from this version on.

    The filters and the ordering term named after the field are renamed with it (``old__gte``
    becomes ``new__gte``), unless ``query=False``.
    """

    def __init__(
        self,
        serializer: SerializerRef,
        old: str,
        new: str,
        *,
        query: bool = True,
        description: str = "",
    ) -> None:
        super().__init__(serializer, new, description=description)
        self.query = query
        self.old = _require_name(self, old, "the old name")
        if self.old == self.name:
            raise ImproperlyConfigured(f"FieldRenamed({old!r}, {new!r}) renames nothing.")

    @property
    def names(self) -> tuple[str, ...]:
        """Both names: neither may be the subject of another change in the same version."""
        return (self.old, self.name)

    def default_description(self) -> str:
        """Describe the rename."""
        return f"`{self.serializer_name}.{self.old}` renamed to `{self.name}`."


Converter = Callable[[Any], Any]


class FieldTypeChanged(FieldChange):
    """The field's type or format changed in this version.

    ``old_field`` is the DRF definition older versions validate, render and document.
    Converters work on native (validated, Python) values, never on JSON:
    ``to_old(new_value) -> old_value`` runs before ``old_field`` renders a response value;
    ``to_new(old_value) -> new_value`` runs after ``old_field`` validated a request value.
    A ``ValueError``/``TypeError`` from ``to_new`` becomes a 400 on that field.
    The filters named after the field convert their values alike, unless ``query=False``.
    """

    def __init__(
        self,
        serializer: SerializerRef,
        name: str,
        old_field: Field,
        *,
        to_old: Converter,
        to_new: Converter,
        query: bool = True,
        description: str = "",
    ) -> None:
        super().__init__(serializer, name, description=description)
        self.query = query
        if not isinstance(old_field, Field):
            raise ImproperlyConfigured(
                f"FieldTypeChanged({name!r}) needs the old DRF field definition as old_field."
            )
        if not (callable(to_old) and callable(to_new)):
            raise ImproperlyConfigured(f"FieldTypeChanged({name!r}) needs callable converters.")
        self.old_field = old_field
        self.to_old = to_old
        self.to_new = to_new

    def default_description(self) -> str:
        """Describe the type change."""
        return f"`{self.serializer_name}.{self.name}` changed type."


class EnumChoiceChange(FieldChange):
    """Choices of a choice field that appear or disappear in this version."""

    def __init__(
        self,
        serializer: SerializerRef,
        name: str,
        choices: Iterable[Any] | Mapping[Any, Any],
        *,
        description: str = "",
    ) -> None:
        super().__init__(serializer, name, description=description)
        self.choices: dict[Any, Any] = (
            dict(choices) if isinstance(choices, Mapping) else {value: value for value in choices}
        )
        if not self.choices:
            raise ImproperlyConfigured(f"{type(self).__name__}({name!r}) names no choices.")

    def _values(self) -> str:
        return ", ".join(f"`{value}`" for value in self.choices)


class EnumChoiceAdded(EnumChoiceChange):
    """The choices exist from this version on; older versions refuse them in requests.

    A stored value an older version does not know is rendered unchanged; map it in a
    :class:`ResponseMigration` if older clients cannot cope.
    """

    def default_description(self) -> str:
        """Describe the added choices."""
        return f"`{self.serializer_name}.{self.name}` accepts {self._values()}."


class EnumChoiceRemoved(EnumChoiceChange):
    """The choices are gone from this version on; older versions accept them again.

    ``choices`` maps each value to its label (or lists the values). Map an old value to a
    current one in a :class:`RequestMigration` if head cannot store it.
    """

    def default_description(self) -> str:
        """Describe the removed choices."""
        return f"`{self.serializer_name}.{self.name}` no longer accepts {self._values()}."


class DataMigration(SerializerChange):
    """Code for what declarations cannot say; without a description it stays off the changelog."""

    def __init__(
        self,
        serializer: SerializerRef,
        function: Callable[..., Any],
        *,
        description: str = "",
    ) -> None:
        super().__init__(serializer, description=description)
        if not callable(function):
            raise ImproperlyConfigured(f"{type(self).__name__} needs a callable, got {function!r}.")
        self.function = function

    @property
    def in_changelog(self) -> bool:
        """Migrations are implementation detail unless they carry a description."""
        return bool(self.description)


class ResponseMigration(DataMigration):
    """Turns a response from this version's shape into the shape of the version before it.

    ``function(data, instance) -> data`` gets the representation dict the served version
    renders (keyed with the names of the version before this one) and the instance being
    rendered, and returns the dict. It runs wherever the serializer renders: top level,
    nested, in lists and in paginated pages.
    """

    def default_description(self) -> str:
        """Describe the migration."""
        return f"`{self.serializer_name}` responses migrated by `{self.function.__name__}`."


class RequestMigration(DataMigration):
    """Turns validated data from the shape before this version into this version's shape.

    ``function(data, serializer) -> data`` gets the validated data in the form head's
    ``create()``/``update()`` take it and returns it. It runs once, after the single validation
    pass, inside the transaction of ``save()``; it may use the database (``serializer.instance``
    is the object being updated). A ``ValidationError`` it raises is a 400 for the client.
    """

    def default_description(self) -> str:
        """Describe the migration."""
        return f"`{self.serializer_name}` requests migrated by `{self.function.__name__}`."

"""System checks of the declared serializer changes (E020-E039, W020-W039), and of a whole
bundle: what a version declares must be something the chain can serve."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.checks import CheckMessage, Error, Tags, Warning, register
from rest_framework import serializers
from rest_framework.fields import Field

from versioning_app.chain import retyped, step_order, value_method
from versioning_app.changes import (
    EnumChoiceChange,
    FieldAdded,
    FieldChange,
    FieldRemoved,
    FieldRenamed,
    FieldTypeChanged,
    SerializerChange,
)
from versioning_app.conf import app_settings
from versioning_app.serializers import is_versioned
from versioning_app.versions import Version, VersionBundle

_PRESENCE = (FieldAdded, FieldRemoved, FieldRenamed, FieldTypeChanged)


def _label(version: Version, change: SerializerChange) -> str:
    return f"Version {version}: {type(change).__name__} on {change.serializer_name}"


def _resolve(version: Version, change: SerializerChange, errors: list[CheckMessage]) -> Any:
    try:
        serializer: object = change.serializer
    except ImportError:
        serializer = None
    if isinstance(serializer, type) and issubclass(serializer, serializers.BaseSerializer):
        return serializer
    errors.append(
        Error(
            f"{_label(version, change)} names a serializer that does not exist: "
            f"{change.serializer_ref!r}.",
            hint="Name the head serializer class, or its dotted import path.",
            id="versioning_app.E020",
        )
    )
    return None


def _head_fields(serializer: type, errors: list[CheckMessage]) -> dict[str, Field] | None:

    if not is_versioned(serializer):
        errors.append(
            Error(
                f"{serializer.__name__} has declared changes but does not use "
                "VersionedSerializerMixin, so every version would get head's shape.",
                hint="Derive it from VersionedModelSerializer or add VersionedSerializerMixin.",
                id="versioning_app.E025",
            )
        )
        return None
    try:
        return dict(serializer(context={}).get_fields())
    except Exception as exc:  # any failure only means we cannot inspect it
        errors.append(
            Warning(
                f"{serializer.__name__} cannot be instantiated without arguments ({exc}); "
                "its declared changes are not checked.",
                hint="Give every argument of its __init__ a default, or review its changes.",
                id="versioning_app.W020",
            )
        )
        return None


def _retyped_renames(changes: list[FieldChange]) -> set[int]:
    """The type changes that go with a rename of the same version (by its new name).

    Undoing the version, the type change applies first, on the new name, then the rename.
    """
    renamed = Counter(change.name for change in changes if isinstance(change, FieldRenamed))
    retyped_names = Counter(
        change.name for change in changes if isinstance(change, FieldTypeChanged)
    )
    return {
        id(change)
        for change in changes
        if isinstance(change, FieldTypeChanged)
        and renamed[change.name] == 1
        and retyped_names[change.name] == 1
    }


def _conflicts(version: Version, serializer: type, changes: list[FieldChange]) -> list[Error]:
    paired = _retyped_renames(changes)
    names = Counter(
        name
        for change in changes
        if isinstance(change, _PRESENCE) and id(change) not in paired
        for name in change.names
    )
    moved = {name for change in changes if isinstance(change, _PRESENCE) for name in change.names}
    choices = Counter(
        (change.name, value)
        for change in changes
        if isinstance(change, EnumChoiceChange)
        for value in change.choices
    )
    clashes = {name for name, count in names.items() if count > 1}
    clashes |= {name for (name, _value), count in choices.items() if count > 1}
    clashes |= {
        change.name
        for change in changes
        if isinstance(change, EnumChoiceChange) and change.name in moved
    }
    return [
        Error(
            f"Version {version} declares conflicting changes of {serializer.__name__}.{name}.",
            hint="Declare at most one of added, removed, renamed or type changed per field and "
            "version (a rename and a type change may go together, the type change naming the "
            "new name); choice changes need the field to exist on both sides.",
            id="versioning_app.E023",
        )
        for name in sorted(clashes)
    ]


def _missing(version: Version, change: FieldChange, name: str) -> Error:
    return Error(
        f"{_label(version, change)} names field {name!r}, which the serializer does not have "
        "in that version.",
        hint="Name fields as they are called in the version that declares the change.",
        id="versioning_app.E021",
    )


def _step(
    version: Version, change: FieldChange, fields: dict[str, Any], errors: list[CheckMessage]
) -> None:
    """Undo one change on the simulated fields, reporting what does not fit."""
    needs_field = (FieldAdded, FieldRenamed, FieldTypeChanged, EnumChoiceChange)
    if isinstance(change, needs_field) and change.name not in fields:
        errors.append(_missing(version, change, change.name))
        return
    if isinstance(change, FieldAdded):
        del fields[change.name]
    elif isinstance(change, FieldRenamed):
        if change.old in fields:
            errors.append(_taken(version, change, change.old))
        moved = fields.pop(change.name)
        if isinstance(moved, serializers.SerializerMethodField) and moved.method_name is None:
            moved.method_name = f"get_{change.name}"  # as the chain pins it
        fields[change.old] = moved
    elif isinstance(change, FieldTypeChanged):
        errors.extend(_method_problems(version, change, fields[change.name]))
        fields[change.name] = retyped(fields[change.name], change)
    elif isinstance(change, EnumChoiceChange):
        if not hasattr(fields[change.name], "choices"):
            errors.append(
                Error(
                    f"{_label(version, change)} names field {change.name!r}, which has no choices.",
                    hint="Enum changes apply to ChoiceField and MultipleChoiceField.",
                    id="versioning_app.E026",
                )
            )
    elif isinstance(change, FieldRemoved):
        if not isinstance(change.field, Field):
            errors.append(
                Error(
                    f"{_label(version, change)} gives no definition of removed field "
                    f"{change.name!r}, so older versions cannot render or accept it.",
                    hint="Pass the old DRF field, e.g. FieldRemoved(S, 'x', CharField()).",
                    id="versioning_app.E022",
                )
            )
        if change.name in fields:
            errors.append(_taken(version, change, change.name))
        if change.after is not None and change.after not in fields:
            errors.append(_missing(version, change, change.after))
        fields[change.name] = change.field


def _method_problems(version: Version, change: FieldTypeChanged, newer: Field) -> list[Error]:
    """What stops a type change of a method field from being served (E027)."""
    method = value_method(newer, change.name)
    if method is None:
        return []
    problems = []
    if not callable(getattr(change.serializer, method, None)):
        problems.append(f"the serializer has no method {method!r} to get its value from")
    if not change.old_field.read_only:
        problems.append("its old_field is writable, but a method's value cannot be written")
    if not problems:
        return []
    return [
        Error(
            f"{_label(version, change)} retypes method field {change.name!r}, but "
            f"{'; '.join(problems)}.",
            hint="Give the serializer the field's method, and declare old_field with "
            "read_only=True; to_old receives the method's return value.",
            id="versioning_app.E027",
        )
    ]


def _taken(version: Version, change: FieldChange, name: str) -> Error:
    return Error(
        f"{_label(version, change)} brings back field {name!r}, but the version before "
        f"{version} already has a field of that name.",
        hint="Check the field names on both sides of the change.",
        id="versioning_app.E024",
    )


def check_bundle(bundle: VersionBundle) -> list[CheckMessage]:
    """Every problem in the bundle's serializer changes."""
    errors: list[CheckMessage] = []
    by_serializer: dict[type, list[tuple[Version, SerializerChange]]] = {}
    for version in bundle:
        for change in version.changes:
            if isinstance(change, SerializerChange):
                serializer = _resolve(version, change, errors)
                if serializer is not None:
                    by_serializer.setdefault(serializer, []).append((version, change))
    for serializer, declared in by_serializer.items():
        fields = _head_fields(serializer, errors)
        if fields is None:
            continue
        for version in reversed(bundle.versions):
            mine = [c for v, c in declared if v is version and isinstance(c, FieldChange)]
            errors.extend(_conflicts(version, serializer, mine))
            for change in sorted(mine, key=step_order):
                _step(version, change, fields, errors)
    return errors


@register(Tags.compatibility)
def check_changes(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The declared serializer changes fit the serializers they name."""

    try:
        bundle = app_settings.versions
    except Exception:  # a bundle that does not load is E001-E005
        return []
    return check_bundle(bundle)

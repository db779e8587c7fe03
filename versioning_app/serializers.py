"""The serializer mixin that serves any declared version from a head-only serializer."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DEFAULT_DB_ALIAS, router, transaction
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.fields import empty
from rest_framework.settings import api_settings

from versioning_app.chain import VersionChain, chain_for, has_changes
from versioning_app.conf import app_settings
from versioning_app.decision import decision_of
from versioning_app.versions import VersionNumber


def served_version(context: Mapping[str, Any]) -> VersionNumber | None:
    """The version a serializer context asks for: ``api_version``, else the request's version."""
    version = context.get("api_version")
    if version is None:
        request = context.get("request")
        # The request's decision holds the number itself: no parsing of request.version.
        decision = decision_of(getattr(request, "_request", request))
        if decision is not None and decision.number is not None:
            return decision.number
        version = getattr(request, "version", None)
        if version is None:
            return None
    if isinstance(version, VersionNumber):
        return version
    try:
        return VersionNumber.parse(str(version))
    except ValueError:
        raise ImproperlyConfigured(f"{version!r} is not an API version.") from None


def _chain(serializer: Any) -> VersionChain | None:
    """The chain of the version ``serializer`` serves; ``None`` when it serves head's shape."""
    bundle = app_settings.versions
    if not has_changes(bundle, type(serializer)):
        # No version changes this serializer (often a nested helper): it needs no version,
        # so it skips the walk up to the root serializer that reading its context takes
        # (0.1 us per instance against 0.76 us with the version and chain lookups).
        return None
    number = served_version(serializer.context)
    if number is None:
        return None
    if number not in bundle:
        raise ImproperlyConfigured(f"API version {number} is not declared.")
    return chain_for(bundle, type(serializer), number)


def _declared_without_skipped(cls: Any, chain: VersionChain) -> dict[str, serializers.Field]:
    """The class's declared fields without those the chain's version drops (kept on the chain)."""
    declared = chain.declared_fields
    if declared is None:
        declared = chain.declared_fields = {
            name: value
            for name, value in cls._declared_fields.items()
            if name not in chain.skipped_fields
        }
    return declared


def _served_errors(
    exc: ValidationError | DjangoValidationError, names: Mapping[str, str | None]
) -> dict[str, Any]:
    """DRF's error dict for ``exc``, its keys given the served version's names.

    ``names`` maps head's (or a migration's) field names to the served ones; an error on a field
    the served version does not have joins the non-field errors, which its clients know.
    """
    detail: dict[str, Any] = serializers.as_serializer_error(exc)
    if not names:
        return detail
    served: dict[str, Any] = {}
    for key, value in detail.items():
        name = names.get(key, key)
        if name is None:
            name = api_settings.NON_FIELD_ERRORS_KEY
            value = value if isinstance(value, list) else [value]
        if isinstance(served.get(name), list) and isinstance(value, list):
            served[name] = [*served[name], *value]
        else:
            served[name] = value
    return served


def _item_errors(errors: dict[int, Any], count: int) -> Any:
    """Per-item errors of a list, in the layout DRF's ``ListSerializer`` gives its own."""
    # DRF 3.18 keys them by index when LIST_SERIALIZER_ERRORS_AS_DICT; a list before that.
    if getattr(api_settings, "LIST_SERIALIZER_ERRORS_AS_DICT", False):
        return errors
    return [errors.get(index, {}) for index in range(count)]


def _migrate_items(child: Any, items: Any) -> list[Any]:
    """Each item through ``child``'s request migrations; every failing item's errors at once."""
    migrated: list[Any] = []
    errors: dict[int, Any] = {}
    for index, item in enumerate(items):
        try:
            migrated.append(child.migrate_request(item))
        except ValidationError as exc:
            errors[index] = exc.detail
    if errors:
        raise ValidationError(_item_errors(errors, len(items)))
    return migrated


def _install_fast_paths(serializer: Any, chain: VersionChain | None) -> None:
    """Bind on ``serializer`` what DRF would otherwise find more slowly, per instance.

    ``to_representation``: when the served version has no response migration, the mixin's
    to_representation has nothing to do. Fields are built on its first call, so that call goes
    through it, and the instance attribute set here sends the later ones (a list's every other
    item) straight to DRF's implementation: head list of 50, 409K instructions over plain DRF
    without it, 135K with it (``python -m benchmarks.instructions``, benchmarks/README.md).
    Only when the mixin's is what the class resolves to: a subclass's own to_representation
    must keep running.

    ``validate_<served name>``: DRF calls validate_<field name>, so a renamed field keeps
    head's validate_<head name>. Bound on the instance rather than found by ``__getattr__``,
    which would slow down every attribute probe DRF makes on every serializer (CPython's
    missing-attribute fast path does not apply to classes that define ``__getattr__``).
    """
    if (chain is None or not chain.response_migrations) and (
        type(serializer).to_representation is VersionedSerializerMixin.to_representation
    ):
        serializer.to_representation = super(VersionedSerializerMixin, serializer).to_representation
    if chain is None:
        return
    for served, head in chain.validator_aliases.items():
        validator = getattr(serializer, f"validate_{head}", None)
        if validator is not None and not hasattr(type(serializer), f"validate_{served}"):
            setattr(serializer, f"validate_{served}", validator)


def _migrated_request(serializer: Any, data: Any) -> Any:
    """Validated ``data`` in head's shape: request migrations applied (once per ``data``)."""
    if serializer._va_chain is None:
        return data
    done = serializer.__dict__.get("_va_migrated")
    if done is not None and done[0] is data:
        return done[1]
    migrated = serializer.migrate_request(data)
    serializer._va_migrated = (data, migrated)
    return migrated


def _migrate_request(serializer: Any, data: Any) -> Any:
    """Run the request migrations of nested serializers, then the serializer's own."""
    if not isinstance(data, Mapping):
        return data
    data = dict(data)
    for field in serializer.fields.values():
        target = _nested_target(field)
        if target is None or field.read_only:
            continue
        try:
            data = _migrate_nested(field, target, data)
        except ValidationError as exc:
            raise ValidationError({field.field_name: exc.detail}) from None
    chain = serializer._va_chain
    for migration in chain.request_migrations if chain is not None else ():
        try:
            data = migration.function(data, serializer)
        except ValidationError as exc:
            raise ValidationError(_served_errors(exc, migration.error_names)) from None
    return data


def _database(serializer: Any) -> str:
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    return router.db_for_write(model) if model is not None else DEFAULT_DB_ALIAS


class VersionedSerializerMixin:
    """Put on head serializers: each request gets its version's fields, data and migrations.

    The served version comes from ``context["api_version"]`` or else
    ``context["request"].version``; nested serializers read the root's context. At head
    nothing is changed. Older versions get head's fields with the newer versions' changes
    undone, so DRF validates once, in the requested version's names.
    """

    _va_chain: VersionChain | None = None

    def get_fields(self) -> dict[str, serializers.Field]:
        """Head's fields, turned into the served version's fields."""
        chain = self._va_chain = _chain(self)
        if chain is not None and chain.skipped_fields:
            # Head fields the version drops anyway are neither copied nor built: DRF reads the
            # declared fields from the instance, and get_field_names leaves the rest out.
            # 1.1 detail (python -m benchmarks, 1.1 pairs): 4,306 Python function calls per
            # request without it, 3,987 with it (plain DRF's 1.1 twin: 3,683), counted with
            # cProfile since wall-clock figures on the shared machine moved by 10%.
            self._declared_fields = _declared_without_skipped(type(self), chain)
        fields = super().get_fields()  # type: ignore[misc]
        _install_fast_paths(self, chain)  # measured shortcuts: see its docstring
        return fields if chain is None else chain.apply(fields)

    def get_field_names(self, declared_fields: Any, info: Any) -> list[str]:
        """``ModelSerializer``'s field names, without the head fields the version drops."""
        names: list[str] = super().get_field_names(declared_fields, info)  # type: ignore[misc]
        chain = self._va_chain
        if chain is None or not chain.skipped_fields:
            return names
        return [name for name in names if name not in chain.skipped_fields]

    @classmethod
    def many_init(cls, *args: Any, **kwargs: Any) -> serializers.BaseSerializer:
        """DRF's list serializer; one given data also runs each item's request migrations."""
        list_serializer: serializers.BaseSerializer = super().many_init(*args, **kwargs)  # type: ignore[misc]
        # Only writes need it: a list being rendered (and a nested list field, whose items the
        # root migrates) keeps DRF's class. This override is within timeit's noise on a head
        # list (about 25 us to build a list serializer either way).
        if ("data" in kwargs or len(args) > 1) and not isinstance(list_serializer, _VersionedList):
            # mypy takes a class for an unhashable instance here (python/mypy#11470).
            list_serializer.__class__ = _versioned_list_class(type(list_serializer))  # type: ignore[arg-type]
        return list_serializer

    def run_validation(self, data: Any = empty) -> Any:
        """DRF's ``Serializer.run_validation``, with the errors of validators and ``validate()``
        (written against head's names) given the served version's names.

        Field errors need nothing: DRF raises them under the served fields' own names.
        """
        is_empty_value, data = self.validate_empty_values(data)  # type: ignore[attr-defined]
        if is_empty_value:
            return data
        value = self.to_internal_value(data)  # type: ignore[attr-defined]
        try:
            self.run_validators(value)  # type: ignore[attr-defined]
            value = self.validate(value)  # type: ignore[attr-defined]
            if value is None:
                raise AssertionError(".validate() should return the validated data")
        except (ValidationError, DjangoValidationError) as exc:
            chain = self._va_chain
            raise ValidationError(_served_errors(exc, chain.error_names if chain else {})) from None
        return value

    def to_representation(self, instance: Any) -> Any:
        """Render the served version's fields, then run its response migrations."""
        data = super().to_representation(instance)  # type: ignore[misc]
        chain = self._va_chain
        if chain is None or not chain.response_migrations:
            return data
        return chain.migrate_response(data, instance)

    @property
    def validated_data(self) -> Any:
        """The validated data in head's shape: request migrations applied (once)."""
        return _migrated_request(self, super().validated_data)  # type: ignore[misc]

    def migrate_request(self, data: Any) -> Any:
        """Run the request migrations of nested serializers, then this one's, on validated data."""
        return _migrate_request(self, data)

    def save(self, **kwargs: Any) -> Any:
        """Save inside a transaction, so that a failing migration or save rolls back."""
        if self._va_chain is None:
            return super().save(**kwargs)  # type: ignore[misc]
        with transaction.atomic(using=_database(self)):
            return super().save(**kwargs)  # type: ignore[misc]


class _VersionedList:
    """Mixed into the list serializer of a versioned write: each item's request migrations."""

    child: Any

    @property
    def validated_data(self) -> Any:
        """Every item in head's shape: its request migrations applied (once per data)."""
        data = super().validated_data  # type: ignore[misc]
        if self.child._va_chain is None:
            return data
        done = self.__dict__.get("_va_migrated")
        if done is not None and done[0] is data:
            return done[1]
        migrated = _migrate_items(self.child, data)
        self._va_migrated = (data, migrated)
        return migrated

    def save(self, **kwargs: Any) -> Any:
        """Save every item inside one transaction: a failing item rolls the others back."""
        if self.child._va_chain is None:
            return super().save(**kwargs)  # type: ignore[misc]
        with transaction.atomic(using=_database(self.child)):
            return super().save(**kwargs)  # type: ignore[misc]


@cache
def _versioned_list_class(base: type[serializers.BaseSerializer]) -> type:
    # Same name as the base: drf-spectacular and error messages name the class.
    return type(base.__name__, (_VersionedList, base), {"__module__": base.__module__})


class VersionedModelSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    """A ``ModelSerializer`` that serves every declared version (see VersionedSerializerMixin)."""


class VersionedSerializer(VersionedSerializerMixin, serializers.Serializer):
    """A ``Serializer`` that serves every declared version."""


def is_versioned(serializer: object) -> bool:
    """Whether a serializer (class or instance) serves every declared version."""
    cls = serializer if isinstance(serializer, type) else type(serializer)
    return issubclass(cls, VersionedSerializerMixin)


def _nested_target(field: serializers.Field) -> Any:
    target = field.child if isinstance(field, serializers.ListSerializer) else field
    return target if isinstance(target, VersionedSerializerMixin) else None


def _migrate_nested(field: serializers.Field, target: Any, data: dict[str, Any]) -> dict[str, Any]:
    if field.source == "*":
        migrated: dict[str, Any] = target.migrate_request(data)
        return migrated
    *path, last = field.source_attrs
    holder: Any = data
    for attr in path:
        holder = holder.get(attr) if isinstance(holder, Mapping) else None
    if not isinstance(holder, dict) or holder.get(last) is None:
        return data
    value = holder[last]
    if isinstance(field, serializers.ListSerializer):
        holder[last] = _migrate_items(target, value)
    else:
        holder[last] = target.migrate_request(value)
    return data

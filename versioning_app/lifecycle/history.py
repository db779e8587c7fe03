"""The admin history of lifecycle changes, however they were made: admin, command or code.

The rules call :func:`record` after every change they save, so an ``api_lifecycle`` run or a
``lifecycle.retire()`` in a migration shows in the version's admin history like an admin action.
Changes without a user are attributed to the ``HISTORY_USER`` account.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import DatabaseError, transaction
from django.utils.translation import gettext

from versioning_app.conf import app_settings

if TYPE_CHECKING:
    from versioning_app.models import VersionLifecycle

logger = logging.getLogger(__name__)

_ADMIN = "django.contrib.admin"
_CHANGE = 2  # django.contrib.admin.models.CHANGE: a constant, kept here to not import the model


def _minute(value: Any) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if value is not None else "-"


def stabilized(row: VersionLifecycle) -> str:
    """The history line of a version marked stable."""
    return gettext("Marked stable, released %(date)s UTC.") % {"date": _minute(row.released_at)}


def deprecated(row: VersionLifecycle) -> str:
    """The history line of a deprecation: dates and successor."""
    parts = [gettext("Deprecated from %(date)s UTC") % {"date": _minute(row.deprecated_at)}]
    if row.sunset_at:
        parts.append(gettext("sunset %(date)s UTC") % {"date": _minute(row.sunset_at)})
    if row.successor:
        parts.append(gettext("successor %(version)s") % {"version": row.successor.version})
    return ", ".join(parts) + "."


def retired(row: VersionLifecycle) -> str:
    """The history line of a retirement."""
    return gettext("Retired: the version answers 410 Gone.")


def cancelled(row: VersionLifecycle) -> str:
    """The history line of a cancelled deprecation."""
    return gettext("Deprecation cancelled: stable again.")


def record(row: VersionLifecycle, message: str, user: Any = None) -> None:
    """Add ``message`` to ``row``'s admin history, by ``user`` or the ``HISTORY_USER`` account.

    Does nothing when the admin is not installed or ``HISTORY_USER`` is None and no user is
    given; a failure to write the history never undoes the lifecycle change.
    """
    if not apps.is_installed(_ADMIN):
        return
    actor_pk = user.pk if user is not None and getattr(user, "pk", None) else _history_user_pk()
    if actor_pk is None:
        return
    log_entry = apps.get_model("admin", "LogEntry")
    content_type = apps.get_model("contenttypes", "ContentType")
    try:
        with transaction.atomic():
            log_entry.objects.create(
                user_id=actor_pk,
                content_type=content_type.objects.get_for_model(row, for_concrete_model=False),
                object_id=str(row.pk),
                object_repr=str(row)[:200],
                action_flag=_CHANGE,
                change_message=message,
            )
    except DatabaseError:
        logger.warning("Could not record the lifecycle change of %s in the admin history.", row)


def _history_user_pk() -> Any:
    """The ``HISTORY_USER`` account's key, created inactive (it cannot log in) on first use."""
    username = app_settings.HISTORY_USER
    if not username:
        return None
    user_model = get_user_model()
    manager = user_model._default_manager
    try:
        with transaction.atomic():
            user, created = manager.get_or_create(
                **{user_model.USERNAME_FIELD: username}, defaults=_inactive(user_model)
            )
            if created:
                user.set_unusable_password()
                user.save()
    except (DatabaseError, TypeError, ValueError):
        # A custom user model may need more fields than a name: no history then, say why.
        logger.warning(
            "VERSIONING_APP['HISTORY_USER'] %r cannot be found or created; lifecycle changes "
            "made outside the admin are not in its history.",
            username,
        )
        return None
    return user.pk


def _inactive(user_model: Any) -> dict[str, Any]:
    names = {field.name for field in user_model._meta.get_fields()}
    return {"is_active": False} if "is_active" in names else {}

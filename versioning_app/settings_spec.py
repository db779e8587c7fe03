"""One entry per ``VERSIONING_APP`` setting: default, accepted values, check id, hint, docs line.

``conf`` reads the defaults from here, ``checks.check_settings`` validates every setting from
here, and the README's settings table is generated from here (``python -m
versioning_app.settings_spec``; a test keeps the two equal). A new setting is one entry.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

from versioning_app import setting_validators as accepts
from versioning_app.setting_validators import Validator

# The entries below name the validators by short private names.
_bool, _cache_alias, _callable_path = accepts.boolean, accepts.cache_alias, accepts.callable_path
_directory, _header_name, _number = accepts.directory, accepts.header_name, accepts.number
_one_of, _or_none, _origin = accepts.one_of, accepts.or_none, accepts.origin
_permission_classes, _slot_seconds = accepts.permission_classes, accepts.slot_seconds
_string, bundle_from = accepts.string, accepts.bundle_from

SETTINGS_NAME = "VERSIONING_APP"


@dataclass(frozen=True)
class Setting:
    """One setting: its default, what it accepts, and how a wrong value is reported."""

    name: str
    default: Any
    accepts: str  # "a number >= 0": the README's value column and the check message
    doc: str  # one line for the README
    check_id: str
    hint: str
    validate: Validator

    def problem(self, value: object) -> str | None:
        """The check message for ``value``, or None when it is acceptable.

        A validator may import project code, so any exception means "not acceptable", except
        a malformed version declaration, which carries its own check id and is re-raised.
        """
        try:
            self.validate(value)
        except Exception as exc:
            if getattr(exc, "check_id", None):
                raise
            detail = f" ({exc})" if str(exc) else ""
            return f"{SETTINGS_NAME}['{self.name}'] must be {self.accepts}, not {value!r}{detail}."
        return None


_SETTINGS = (
    Setting(
        "VERSIONS",
        None,
        accepts="the dotted path of your VersionBundle (or the bundle itself)",
        doc="Your declared versions. Required.",
        check_id="versioning_app.E001",
        hint="For example 'myproject.api.versions.VERSIONS'.",
        validate=bundle_from,
    ),
    Setting(
        "VERSION_HEADER",
        "API-Version",
        accepts="an HTTP header name",
        doc="The request header that pins a minor of the major in the URL; also the response "
        "header that names the version served.",
        check_id="versioning_app.E009",
        hint="The default is 'API-Version'.",
        validate=_header_name,
    ),
    Setting(
        "PROBLEM_TYPE_BASE",
        "urn:versioning-app:problem:",
        accepts="a string",
        doc="The prefix of the `type` of every problem response; point it at your error docs.",
        check_id="versioning_app.E010",
        hint="A URI prefix such as 'https://example.com/problems/'.",
        validate=_string,
    ),
    Setting(
        "LINK_BASE_URL",
        None,
        accepts="an http(s) URL with a host and no path, or None",
        doc="The scheme and host of the hyperlinks that `serialize()` and `serializer_for()` "
        "render without a request (webhooks, jobs); None: such a link raises "
        "ImproperlyConfigured. With a request, links use the request's host.",
        check_id="versioning_app.E019",
        hint="For example 'https://api.example.com'; the link's path comes from your URLconf.",
        validate=_or_none(_origin),
    ),
    Setting(
        "JSON_MAX_DEPTH",
        32,
        accepts="a whole number >= 1",
        doc="How deep lists and objects may nest in a JSON request body read by "
        "`versioning_app.parsers.JSONParser`; deeper is a 400 problem (its size is bounded by "
        "Django's `DATA_UPLOAD_MAX_MEMORY_SIZE`: larger is a 413 problem).",
        check_id="versioning_app.E015",
        hint="The default is 32.",
        validate=_number(minimum=1, whole=True),
    ),
    Setting(
        "LIFECYCLE_REFRESH_SECONDS",
        5,
        accepts="a number >= 0",
        doc="How long a worker serves its copy of the lifecycle before it reads the rows again "
        "(two small queries); any change, admin, command or bulk update, reaches every "
        "worker within this time.",
        check_id="versioning_app.E040",
        hint="The default is 5 (seconds).",
        validate=_number(),
    ),
    Setting(
        "NEW_VERSION_STATUS",
        "stable",
        accepts="'preview' or 'stable'",
        doc="The status of the lifecycle row created for a newly declared version.",
        check_id="versioning_app.E042",
        hint="It is the status given to the row of a newly declared version.",
        validate=_one_of("preview", "stable"),
    ),
    Setting(
        "DOCS_PERMISSION_CLASSES",
        None,
        accepts="a list of DRF permission classes (dotted paths), or None",
        doc="Who may read the schemas, docs and changelog; None: `SPECTACULAR_SETTINGS`' "
        "`SERVE_PERMISSIONS` if set, else whoever may call the API "
        "(REST_FRAMEWORK's `DEFAULT_PERMISSION_CLASSES`).",
        check_id="versioning_app.E060",
        hint="For example ['rest_framework.permissions.IsAdminUser'].",
        validate=_or_none(_permission_classes),
    ),
    Setting(
        "SCHEMA_CACHE",
        "default",
        accepts="a cache alias in CACHES",
        doc="The cache that keeps generated schemas.",
        check_id="versioning_app.E061",
        hint="Add the cache to CACHES, or name one that is there.",
        validate=_cache_alias,
    ),
    Setting(
        "SCHEMA_CACHE_TIMEOUT",
        24 * 60 * 60,
        accepts="a number > 0, or None",
        doc="Seconds an unused schema stays cached; None: until the cache evicts it. Schemas "
        "are regenerated anyway when the code changes (a lifecycle change only re-applies "
        "the lifecycle to the cached structure).",
        check_id="versioning_app.E062",
        hint="The default is 86400 (a day); None keeps them until the cache evicts them.",
        validate=_or_none(_number(above=True)),
    ),
    Setting(
        "SCHEMA_EXPORT_DIR",
        None,
        accepts="None, or a directory path",
        doc="Serve the schemas written there by `manage.py api_schemas --out DIR` instead of "
        "generating them (while they match the code; check W070 says when they do not).",
        check_id="versioning_app.E070",
        hint="Run `manage.py api_schemas --out DIR` and point this setting at DIR.",
        validate=_or_none(_directory),
    ),
    Setting(
        "HISTORY_USER",
        "api-lifecycle",
        accepts="a user name, or None",
        doc="The user to whom the admin history attributes lifecycle changes made outside the "
        "admin (`api_lifecycle`, your code); created inactive, without a password, on first "
        "use. None: such changes are not in the admin history.",
        check_id="versioning_app.E120",
        hint="The default is 'api-lifecycle'; the user is created if it does not exist.",
        validate=_or_none(_string),
    ),
    Setting(
        "USAGE_ENABLED",
        True,
        accepts="True or False",
        doc="Count requests per version, endpoint, client and day.",
        check_id="versioning_app.E080",
        hint="The default is True (count usage).",
        validate=_bool,
    ),
    Setting(
        "USAGE_CACHE_ALIAS",
        "default",
        accepts="a cache alias in CACHES",
        doc="The cache that buffers the counts. In production a shared one (Redis, Memcached), "
        "never a database cache: that would write to the database on every request.",
        check_id="versioning_app.E081",
        hint="Add the cache to CACHES, or name one that is there.",
        validate=_cache_alias,
    ),
    Setting(
        "USAGE_CLIENT_RESOLVER",
        "versioning_app.usage.recording.default_client",
        accepts="the dotted path of a function",
        doc="A function that takes the request and names its client (a string), or returns "
        "None for an anonymous one.",
        check_id="versioning_app.E082",
        hint="For example 'versioning_app.usage.recording.default_client'.",
        validate=_callable_path,
    ),
    Setting(
        "USAGE_SLOT_SECONDS",
        60,
        accepts="a whole number of seconds that divides a day (86400)",
        doc="How many seconds of counts one buffer slot holds; it divides a day so that no "
        "slot spans two days.",
        check_id="versioning_app.E083",
        hint="The default is 60; 10, 30, 300 and 3600 work too.",
        validate=_slot_seconds,
    ),
    Setting(
        "USAGE_FLUSH_GRACE_SECONDS",
        10,
        accepts="a number > 0",
        doc="How long a slot stays open after it ends, for requests counted late.",
        check_id="versioning_app.E084",
        hint="The default is 10 (seconds).",
        validate=_number(above=True),
    ),
    Setting(
        "USAGE_FLUSH_INTERVAL",
        60,
        accepts="a number >= 0",
        doc="Seconds between flushes by a background thread in each process; 0: no thread "
        "(run `manage.py api_usage_flush` yourself).",
        check_id="versioning_app.E085",
        hint="The default is 60 (seconds); 0 turns the background flush off.",
        validate=_number(),
    ),
    Setting(
        "USAGE_RETENTION_DAYS",
        None,
        accepts="a whole number of days >= 1, or None",
        doc="The flush deletes daily rows older than this many days; None keeps them all.",
        check_id="versioning_app.E086",
        hint="The default is None; 400 keeps a year of history and then some.",
        validate=_or_none(_number(minimum=1, whole=True)),
    ),
    Setting(
        "CLIENTS_PINNING",
        False,
        accepts="True or False",
        doc="Pin each client, at its first request to a major, to that major's newest stable "
        "minor; a request without a version header is then served at its pin.",
        check_id="versioning_app.E100",
        hint="The default is False (no pins: a request without a header gets the newest minor).",
        validate=_bool,
    ),
    Setting(
        "CLIENTS_ROLLBACK_HOURS",
        72,
        accepts="a number > 0",
        doc="How long after an upgrade a client's pin can be rolled back.",
        check_id="versioning_app.E101",
        hint="The default is 72 (hours).",
        validate=_number(above=True),
    ),
    Setting(
        "CLIENTS_STORE_LABELS",
        True,
        accepts="True or False",
        doc="Store a label and contact e-mail per client; False keeps the keyed hash only.",
        check_id="versioning_app.E102",
        hint="The default is True; False for projects that must not store who their clients are.",
        validate=_bool,
    ),
    Setting(
        "CLIENTS_LABEL",
        "versioning_app.clients.labels.default_label",
        accepts="the dotted path of a function",
        doc="A function that takes the request and returns its client's label and contact "
        "e-mail (two strings, either may be empty).",
        check_id="versioning_app.E103",
        hint="For example 'versioning_app.clients.labels.default_label' (username and e-mail).",
        validate=_callable_path,
    ),
    Setting(
        "CLIENTS_REPORT_DAYS",
        30,
        accepts="a whole number of days >= 1",
        doc="How many days of a client's calls its upgrade report looks at.",
        check_id="versioning_app.E104",
        hint="The default is 30.",
        validate=_number(minimum=1, whole=True),
    ),
)

SETTINGS: dict[str, Setting] = {setting.name: setting for setting in _SETTINGS}


def settings_table() -> str:
    """The README's settings table, in Markdown."""
    rows = ["| key | value | default | meaning |", "| --- | --- | --- | --- |"]
    for setting in SETTINGS.values():
        cells = (f"`{setting.name}`", setting.accepts, f"`{setting.default!r}`", setting.doc)
        rows.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    sys.stdout.write(settings_table())

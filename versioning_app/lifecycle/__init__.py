"""The lifecycle wing: where each declared version is in its life, and what that means.

``rules`` changes a version's status (the only writer), ``snapshot`` serves every worker
process an immutable copy of the rows, ``sync`` keeps one row per declared version, and
``checks`` reports misconfiguration. Project code calls the rules from here::

    from versioning_app import lifecycle

    lifecycle.deprecate("1.0", sunset_at=..., successor="2.0", documentation_url="https://...")
    lifecycle.retire("0.9")
    lifecycle.schedule_brownout("1.0", starts_at=..., minutes=60)   # a rehearsal of the sunset
    lifecycle.set_policies("1.0", read_only=True)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from versioning_app.lifecycle.rules import (
        TransitionRefused,
        cancel_deprecation,
        deprecate,
        retire,
        set_policies,
        stabilize,
        version_state,
    )
    from versioning_app.lifecycle.schedule import plan_brownouts, schedule_brownout
    from versioning_app.lifecycle.snapshot import (
        EndpointDeprecationState,
        LifecycleSnapshot,
        VersionState,
        get_snapshot,
    )

_EXPORTS = {
    "TransitionRefused": "rules",
    "cancel_deprecation": "rules",
    "deprecate": "rules",
    "retire": "rules",
    "stabilize": "rules",
    "set_policies": "rules",
    "plan_brownouts": "schedule",
    "schedule_brownout": "schedule",
    "version_state": "rules",
    "EndpointDeprecationState": "snapshot",
    "LifecycleSnapshot": "snapshot",
    "VersionState": "snapshot",
    "get_snapshot": "snapshot",
}

__all__ = [
    "EndpointDeprecationState",
    "LifecycleSnapshot",
    "TransitionRefused",
    "VersionState",
    "cancel_deprecation",
    "deprecate",
    "get_snapshot",
    "plan_brownouts",
    "retire",
    "schedule_brownout",
    "set_policies",
    "stabilize",
    "version_state",
]


def __getattr__(name: str) -> Any:
    # Lazy: the rules import the models, and this package is imported (by the versioning
    # class, through the snapshot) before Django's app registry may be ready.
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)

"""The core's system checks: misconfiguration becomes a startup error with a hint.

Importing this package registers them: ``wiring`` (settings, DRF, URLs), ``changes`` (the
declared serializer changes), ``endpoints`` (method-level endpoint changes) and ``faults``
(bounded cache calls). The wings
(lifecycle, docs, usage) check themselves in their own ``checks`` modules.
"""

from versioning_app.checks.changes import check_bundle, check_changes
from versioning_app.checks.endpoints import check_endpoint_changes, endpoint_disagreements
from versioning_app.checks.faults import check_cache_timeouts
from versioning_app.checks.wiring import check_drf_wiring, check_settings, check_urls

__all__ = [
    "check_bundle",
    "check_cache_timeouts",
    "check_changes",
    "check_drf_wiring",
    "check_endpoint_changes",
    "check_settings",
    "check_urls",
    "endpoint_disagreements",
]

"""Settings of the servers that the live tests start: the test settings plus a shared database
and cache given as JSON in ``VERSIONING_APP_LIVE_SETTINGS``, and a worker-pid response header."""

import json
import os

from tests.settings import *  # noqa: F403

_live = json.loads(os.environ["VERSIONING_APP_LIVE_SETTINGS"])
DATABASES = _live["DATABASES"]
CACHES = _live["CACHES"]
VERSIONING_APP = {**VERSIONING_APP, **_live.get("VERSIONING_APP", {})}  # noqa: F405
SILENCED_SYSTEM_CHECKS = []
MIDDLEWARE = ["tests.support.live_app.WorkerPidMiddleware", *MIDDLEWARE]  # noqa: F405

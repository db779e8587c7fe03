"""An API test client that sends the version header."""

from __future__ import annotations

from typing import Any

from rest_framework.test import APIClient

from versioning_app.conf import app_settings

__all__ = ["VersionedAPIClient"]


class VersionedAPIClient(APIClient):
    """DRF's test client sending ``API-Version: <version>`` with every request."""

    def __init__(self, version: str | None = None, **defaults: Any) -> None:
        if version is not None:
            defaults[app_settings.version_header_meta_key] = version
        super().__init__(**defaults)

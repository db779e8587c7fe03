"""Versioned REST APIs for Django REST framework: one URL namespace per major, head-only code."""

from .versions import Version, VersionBundle, VersionNumber

__all__ = ["Version", "VersionBundle", "VersionNumber"]

"""The app's admin; each concept registers its own ModelAdmins in its own module."""

from . import usage_admin  # noqa: F401  (registers on import)

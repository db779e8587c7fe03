"""The admin of the lifecycle and of usage; Django's autodiscovery imports this package."""

from versioning_app.admin import brownouts, lifecycle, usage

__all__ = ["brownouts", "lifecycle", "usage"]

"""The admin of the lifecycle and of usage; Django's autodiscovery imports this package."""

from versioning_app.admin import brownouts, clients, lifecycle, usage

__all__ = ["brownouts", "clients", "lifecycle", "usage"]

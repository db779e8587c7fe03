"""The admin of the lifecycle and of usage; Django's autodiscovery imports this package."""

from versioning_app.admin import clients, lifecycle, usage

__all__ = ["clients", "lifecycle", "usage"]

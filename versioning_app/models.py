"""The app's models; each concept lives in its own module and is imported here for Django."""

from .usage_models import UsageFlush, UsageRecord

__all__ = ["UsageFlush", "UsageRecord"]

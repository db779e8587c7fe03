"""The docs wing's signals."""

from django.dispatch import Signal

# Sent after drf-spectacular has run for one version (``version``: its ``VersionNumber``):
# the expensive step, which a lifecycle change never repeats.
schema_generated = Signal()

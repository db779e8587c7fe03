"""The synthetic project's app (its models are never migrated: schemas need no tables)."""

from django.apps import AppConfig


class SyntheticConfig(AppConfig):
    """``benchmarks.synthetic_app``: N generated models, their viewsets and versions."""

    name = "benchmarks.synthetic_app"
    label = "synthetic"
    default_auto_field = "django.db.models.BigAutoField"

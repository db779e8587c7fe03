"""``BENCH_SYNTHETIC_RESOURCES`` generated models (default 20), alike but for their names."""

from __future__ import annotations

import os

from django.db import models


def resource_count() -> int:
    """How many resources this process's synthetic project has."""
    return int(os.environ.get("BENCH_SYNTHETIC_RESOURCES", "20"))


def _model(index: int) -> type[models.Model]:
    attrs = {
        "__module__": __name__,
        "label": models.CharField(max_length=200),
        "count": models.IntegerField(default=0),
        "created": models.DateField(null=True),
        "active": models.BooleanField(default=True),
        "Meta": type("Meta", (), {"app_label": "synthetic", "managed": False}),
    }
    return type(f"Item{index}", (models.Model,), attrs)


MODELS: list[type[models.Model]] = [_model(index) for index in range(resource_count())]

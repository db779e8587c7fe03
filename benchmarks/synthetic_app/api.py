"""Each model twice: a versioned serializer and viewset, and plain DRF's twin; the versions.

Three versions: 1.0, 1.1 (``Item1.active`` added) and 2.0 (``Item0.label`` renamed from
``title``, the ``item2`` endpoints added). 2.0 serves exactly the plain side's endpoints.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers, viewsets
from rest_framework.routers import SimpleRouter

from benchmarks.synthetic_app.models import MODELS
from versioning_app import Version, VersionBundle
from versioning_app.changes import EndpointAdded, FieldAdded, FieldRenamed
from versioning_app.serializers import VersionedModelSerializer

FIELDS = ["id", "label", "count", "created", "active"]


def _classes(model: type[Any], index: int) -> tuple[type, type, type, type]:
    meta = type("Meta", (), {"model": model, "fields": FIELDS})
    name = f"Item{index}"
    versioned = type(f"{name}Serializer", (VersionedModelSerializer,), {"Meta": meta})
    plain = type(f"Plain{name}Serializer", (serializers.ModelSerializer,), {"Meta": meta})
    queryset = model.objects.all()
    doc = {"__doc__": f"{name} resources."}
    view = type(
        f"{name}ViewSet",
        (viewsets.ModelViewSet,),
        {**doc, "queryset": queryset, "serializer_class": versioned},
    )
    plain_view = type(
        f"Plain{name}ViewSet",
        (viewsets.ModelViewSet,),
        {**doc, "queryset": queryset, "serializer_class": plain, "versioning_class": None},
    )
    return versioned, plain, view, plain_view


CLASSES = [_classes(model, index) for index, model in enumerate(MODELS)]

router = SimpleRouter()
plain_router = SimpleRouter()
for index, (_versioned, _plain, view, plain_view) in enumerate(CLASSES):
    router.register(f"item{index}", view, basename=f"item{index}")
    plain_router.register(f"item{index}", plain_view, basename=f"item{index}")


def _changes() -> tuple[list[Any], list[Any]]:
    v11: list[Any] = []
    v20: list[Any] = []
    if len(CLASSES) > 1:
        v11.append(FieldAdded(CLASSES[1][0], "active", description="Item1 has `active`."))
    if len(CLASSES) > 2:
        v20 += [EndpointAdded("item2-list"), EndpointAdded("item2-detail")]
    v20.append(FieldRenamed(CLASSES[0][0], "title", "label", description="Renamed."))
    return v11, v20


_V11, _V20 = _changes()
VERSIONS = VersionBundle(
    Version("1.0", description="First."),
    Version("1.1", *_V11, description="Second."),
    Version("2.0", *_V20, description="Third."),
)

"""A deliberately breaking declaration, for the compatibility guard's tests only.

2.1 removes ``DELETE authors/{id}/``, which 2.0 serves: a minor release that breaks its
predecessor.
"""

from versioning_app import Version, VersionBundle, VersionNumber
from versioning_app.changes import EndpointAdded, EndpointRemoved

VERSIONS = VersionBundle(
    Version("0.9"),
    Version("1.0"),
    Version("1.1"),
    Version(
        "2.0",
        EndpointAdded("author-list"),
        EndpointAdded("author-detail"),
        EndpointRemoved("book-similar"),
    ),
    Version("2.1", EndpointRemoved("author-detail", "DELETE", description="No more deletes.")),
    Version("3.0"),
)


def _field_breaking() -> VersionBundle:
    """The test app's 2.x, but 2.1 renames a field, retypes one and drops an enum choice."""
    from rest_framework import serializers

    from tests.testapp import versions as testapp
    from tests.testapp.serializers import BookSerializer
    from versioning_app.changes import (
        EnumChoiceRemoved,
        FieldAdded,
        FieldRenamed,
        FieldTypeChanged,
    )

    v20 = testapp.VERSIONS.get(VersionNumber(2, 0))
    assert v20 is not None
    kept_20 = [c for c in v20.changes if not isinstance(c, FieldRenamed)]
    return VersionBundle(
        Version("0.9"),
        Version("1.0"),
        *[testapp.VERSIONS.get(VersionNumber(1, 1))],
        Version("2.0", *kept_20, FieldAdded(BookSerializer, "language")),
        Version(
            "2.1",
            FieldRenamed(BookSerializer, "published", "publication_date"),
            FieldTypeChanged(
                BookSerializer,
                "pages",
                serializers.CharField(allow_null=True, required=False),
                to_old=lambda value: None if value is None else str(value),
                to_new=lambda value: None if value is None else int(value),
            ),
            EnumChoiceRemoved(BookSerializer, "language", {"la": "Latin"}),
        ),
        *[testapp.VERSIONS.get(VersionNumber(3, 0))],
    )


FIELD_BREAKING = _field_breaking()

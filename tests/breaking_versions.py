"""A deliberately breaking declaration, for the compatibility guard's tests only.

2.1 removes ``DELETE authors/{id}/``, which 2.0 serves: a minor release that breaks its
predecessor.
"""

from versioning_app import Version, VersionBundle
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

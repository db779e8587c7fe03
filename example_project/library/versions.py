"""The library API's versions, oldest first, each with the changes it introduced."""

from versioning_app import Version, VersionBundle
from versioning_app.changes import EndpointAdded, EndpointRemoved

VERSIONS = VersionBundle(
    Version("0.9", description="The first public preview."),
    Version("1.0", description="The first stable release."),
    Version("1.1", description="Books know their page count."),
    Version(
        "2.0",
        EndpointAdded("author-list", description="Authors can be listed and created."),
        EndpointAdded("author-detail", description="Authors can be read, edited and deleted."),
        EndpointRemoved("book-similar", description="`books/{id}/similar/` is gone."),
        description="Books have several authors.",
    ),
    Version("2.1", description="Books know their language."),
    Version("3.0", description="ISBN-13 only."),
)

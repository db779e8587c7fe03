"""The test API plus a generic view and a function view, versioned by the same bundle.

A URLconf of its own: the main one (``tests.testapp.urls``) keeps the endpoint set that the
library's tests assert per version.
"""

from django.urls import path

from tests.testapp.urls import router
from tests.testapp.views import AuthorBooksView, served_version
from versioning_app.routing import versioned_urls

urlpatterns = versioned_urls(
    [
        *router.urls,
        path("authors/<int:pk>/books/", AuthorBooksView.as_view(), name="author-books"),
        path("served-version/", served_version, name="served-version"),
    ],
    prefix="api/",
)

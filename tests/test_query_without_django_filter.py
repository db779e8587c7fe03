"""django-filter is optional: without it the package imports, checks, translates and documents
the other backends' parameters (a subprocess in which ``django_filters`` cannot be imported)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = textwrap.dedent(
    """
    import sys
    from importlib.abc import MetaPathFinder

    class NoDjangoFilter(MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == "django_filters" or name.startswith("django_filters."):
                raise ImportError("django-filter is not installed")
            return None

    sys.meta_path.insert(0, NoDjangoFilter())

    import django
    from django.conf import settings

    settings.configure(
        INSTALLED_APPS=[
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "rest_framework",
            "drf_spectacular",
            "versioning_app",
        ],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        VERSIONING_APP={"VERSIONS": "__main__.VERSIONS"},
    )

    from rest_framework import filters, generics
    from rest_framework.pagination import PageNumberPagination
    from versioning_app import QueryParamRenamed, Version, VersionBundle

    VERSIONS = VersionBundle(
        Version("1.0"), Version("2.0", QueryParamRenamed("q", "search"))
    )
    django.setup()

    from django.http import QueryDict
    from versioning_app.docs import parameters  # registers the extensions
    from versioning_app.query.checks import query_change_errors
    from versioning_app.query.params import view_params
    from versioning_app.query.plan import build_plan
    from versioning_app.query.translate import translate
    from versioning_app.versions import VersionNumber

    assert "django_filters" not in sys.modules

    class Things(generics.ListAPIView):
        filter_backends = [filters.SearchFilter, filters.OrderingFilter]
        pagination_class = PageNumberPagination
        ordering_fields = ["name"]

    assert set(view_params(Things).params) == {"search", "ordering", "page"}
    plan = build_plan(VERSIONS, Things, VersionNumber(1, 0))
    translated = translate(QueryDict("q=anvil&ordering=-name&search=x"), plan)
    assert dict(translated.lists()) == {"search": ["anvil"], "ordering": ["-name"]}, translated
    assert query_change_errors(VERSIONS, [Things]) == []
    print("ok")
    """
)


def test_the_package_works_without_django_filter() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"

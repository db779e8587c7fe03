"""The app's own pages: the schema index, one schema per version, Swagger UI, Redoc, changelog."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import parse_etags
from django.utils.module_loading import import_string
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer, TemplateHTMLRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from versioning_app.conf import app_settings
from versioning_app.docs import catalog, ui
from versioning_app.docs.cache import schema_document
from versioning_app.docs.catalog import DEPRECATED, VersionInfo
from versioning_app.docs.changelog import build_changelog, date_line, no_changes, status_label
from versioning_app.docs.markdown import safe_url
from versioning_app.errors import (
    Problem,
    UnknownVersion,
    VersionRetired,
    lifecycle_unknown,
    problem_response,
)
from versioning_app.lifecycle.snapshot import get_snapshot
from versioning_app.lifecycle.verdict import verdict_for
from versioning_app.versions import VersionNumber

OPENAPI_JSON = "application/vnd.oai.openapi+json"


class DocsView(APIView):
    """Base of the documentation views: the project's auth, ``DOCS_PERMISSION_CLASSES``."""

    versioning_class = None
    schema = None  # the docs do not document themselves

    def get_authenticators(self) -> list[BaseAuthentication]:
        """``SPECTACULAR_SETTINGS['SERVE_AUTHENTICATION']`` if set, else DRF's default."""
        # The stubs type DRF's class-list settings as their dotted strings; read, they are classes.
        classes: list[type[BaseAuthentication]] = (
            ui.serve_classes("SERVE_AUTHENTICATION") or api_settings.DEFAULT_AUTHENTICATION_CLASSES  # type: ignore[assignment]
        )
        return [auth() for auth in classes]

    def get_permissions(self) -> list[BasePermission]:
        """``DOCS_PERMISSION_CLASSES``; when None, ``SPECTACULAR_SETTINGS['SERVE_PERMISSIONS']``
        if the project set it, else DRF's default permission classes."""
        configured = app_settings.DOCS_PERMISSION_CLASSES
        classes: list[type[BasePermission]]
        if configured is None:
            classes = (
                ui.serve_classes("SERVE_PERMISSIONS") or api_settings.DEFAULT_PERMISSION_CLASSES  # type: ignore[assignment]  # as above
            )
        else:
            classes = [
                import_string(path) if isinstance(path, str) else path for path in configured
            ]
        return [permission() for permission in classes]


def resolve_version(token: str, url_name: str = "schema") -> VersionInfo:
    """The catalog entry a URL token names (``2.1``, ``2.1.0`` or ``v2``), or raise a problem.

    A gone version (retired, or past its sunset) raises the API's own 410 problem, its
    successor link pointing at the successor's page of the same kind (``url_name``).
    """
    bundle = app_settings.versions
    version = None
    if token[:1] == "v":
        try:
            major = VersionNumber.parse(token[1:], allow_major_only=True)
        except ValueError:
            major = None
        if major is not None and token[1:].isdigit():
            version = bundle.newest_in_major(major.major)
    else:
        try:
            version = bundle.get(VersionNumber.parse(token))
        except ValueError:
            version = None
    # The token is never echoed back: it is client input.
    info = catalog.info_for(version.number) if version is not None else None
    if info is None:
        raise UnknownVersion(
            gettext("This API has no such version."),
            available_versions=[str(entry.number) for entry in catalog.catalog() if entry.served],
        )
    # The API's own verdict, for the version alone; its successor link names the successor's page.
    verdict = verdict_for(
        info.number,
        None,
        "GET",
        lambda successor: reverse(f"versioning_app:{url_name}", args=[str(successor)]),
    )
    if verdict.problem is not None:
        raise verdict.problem
    if get_snapshot().version(info.number).is_unknown:
        raise lifecycle_unknown(info.number)
    return info


def _default_or_problem() -> VersionInfo:
    info = catalog.default_version()
    if info is None:
        raise VersionRetired(gettext("No version of this API is served any more."))
    return info


class SchemaIndexView(DocsView):
    """``/api/schema/``: every version with its status, dates and documentation URLs."""

    renderer_classes = [JSONRenderer]

    def get(self, request: Request) -> Response:
        """List the versions, oldest first, and name the default one."""
        entries = catalog.catalog()
        default = catalog.default_version(entries)
        return Response(
            {
                "default": str(default.number) if default else None,
                "versions": [_index_entry(entry) for entry in entries],
                "changelog_url": reverse("versioning_app:changelog"),
                # An authenticated client's own upgrade report: add ``?to=<version>``.
                "upgrade_report_url": reverse("versioning_app:client-upgrade-report"),
            }
        )


def _index_entry(entry: VersionInfo) -> dict[str, Any]:
    number = str(entry.number)
    urls: dict[str, str | None] = {"schema_url": None, "docs_url": None, "redoc_url": None}
    if entry.served:
        urls = {
            "schema_url": reverse("versioning_app:schema", args=[number]),
            "docs_url": reverse("versioning_app:docs-version", args=[number]),
            "redoc_url": reverse("versioning_app:redoc-version", args=[number]),
        }
    return {
        "version": number,
        "description": entry.version.description,
        **entry.lifecycle(),
        # False once retired or past the sunset: the version, its schema and docs answer 410.
        "served": entry.served,
        **urls,
    }


class SchemaView(DocsView):
    """``/api/schema/<version>/``: the OpenAPI 3 document of one version, cached."""

    def get(self, request: Request, version: str) -> HttpResponseBase:
        """Serve the version's document (304 when the client's copy is current)."""
        try:
            info = resolve_version(version, "schema")
        except Problem as problem:
            return problem_response(problem)
        body, etag = schema_document(info)
        if not_modified(request.headers.get("If-None-Match", ""), etag):
            return HttpResponseNotModified(headers={"ETag": etag})
        filename = f"openapi-{info.number}.json"
        return HttpResponse(
            body,
            content_type=OPENAPI_JSON,
            headers={"ETag": etag, "Content-Disposition": f'inline; filename="{filename}"'},
        )


def not_modified(if_none_match: str, etag: str) -> bool:
    """RFC 9110 13.1.2: ``*``, or an entity-tag equal to ``etag`` by weak comparison."""
    tags = parse_etags(if_none_match)
    return tags == ["*"] or any(tag.removeprefix("W/") == etag for tag in tags)


class _PageView(DocsView):
    """A documentation page (Swagger UI or Redoc) with the version switcher."""

    template_name = ""
    page = ""
    url_name = ""

    def get(self, request: Request, version: str | None = None) -> HttpResponseBase:
        """Render the page for ``version``, or for the default version."""
        try:
            info = resolve_version(version, self.url_name) if version else _default_or_problem()
        except Problem as problem:
            return problem_response(problem)
        return render(request._request, self.template_name, self.context(request._request, info))

    def context(self, request: HttpRequest, info: VersionInfo) -> dict[str, Any]:
        """What the template needs: the chosen version, the switcher, local asset URLs."""
        entries = catalog.catalog()
        default = catalog.default_version(entries)
        config = {
            "page": self.page,
            "schemaUrl": reverse("versioning_app:schema", args=[str(info.number)]),
            "csrfCookieName": settings.CSRF_COOKIE_NAME,
            "csrfHeaderName": settings.CSRF_HEADER_NAME.removeprefix("HTTP_").replace("_", "-"),
            # "Try it out" asks for the page's version: an older minor needs the header.
            "versionHeader": app_settings.VERSION_HEADER,
            "version": str(info.number),
            # drf-spectacular's options of each UI; the page's own (url, dom_id, ...) win.
            "uiSettings": ui.ui_settings(
                "SWAGGER_UI_SETTINGS" if self.page == "swagger" else "REDOC_UI_SETTINGS"
            ),
        }
        return {
            "info": info,
            "status_label": status_label(info.status),
            "title": f"{ui.title()} {info.number}",
            "options": [
                {
                    "label": switcher_label(entry, default),
                    "url": reverse(f"versioning_app:{self.url_name}", args=[str(entry.number)]),
                    "selected": entry.number == info.number,
                    "disabled": not entry.served,
                    "status": entry.shown_status,
                    "version": str(entry.number),
                }
                for entry in reversed(entries)
            ],
            "config": config,
            "config_json": json.dumps(config),
            "assets": self.assets(),
            "other_page": reverse(
                "versioning_app:redoc-version"
                if self.page == "swagger"
                else "versioning_app:docs-version",
                args=[str(info.number)],
            ),
            "changelog_url": reverse("versioning_app:changelog"),
        }

    def assets(self) -> dict[str, str]:
        """Static URLs of the page's scripts and styles (all served by this project)."""
        return {
            "docs_js": static("versioning_app/docs.js"),
            "docs_css": static("versioning_app/docs.css"),
        }


def switcher_label(entry: VersionInfo, default: VersionInfo | None = None) -> str:
    """The switcher's label of a version: number, status, sunset date, default marker.

    ``1.1 (deprecated, sunset 2027-05-21)``, ``3.0 (preview)``, ``2.1 (stable, default)``;
    a deprecated version past its sunset answers 410 like a retired one and reads
    ``1.0 (retired, sunset 2026-01-01)``.
    """
    details = [status_label(entry.shown_status)]
    if entry.sunset_at is not None and entry.status == DEPRECATED:
        details.append(gettext("sunset %(date)s") % {"date": f"{entry.sunset_at:%Y-%m-%d}"})
    if default is not None and entry.number == default.number:
        details.append(pgettext("the default version", "default"))
    return f"{entry.number} ({', '.join(details)})"


class SwaggerView(_PageView):
    """``/api/docs/`` and ``/api/docs/<version>/``: Swagger UI."""

    template_name = "versioning_app/swagger_ui.html"
    page = "swagger"
    url_name = "docs-version"

    def assets(self) -> dict[str, str]:
        """Swagger UI's bundle, preset, styles and favicon (see ``docs.ui``)."""
        return {**super().assets(), **ui.swagger_assets()}


class RedocView(_PageView):
    """``/api/redoc/`` and ``/api/redoc/<version>/``: Redoc."""

    template_name = "versioning_app/redoc.html"
    page = "redoc"
    url_name = "redoc-version"

    def assets(self) -> dict[str, str]:
        """Redoc's standalone bundle (see ``docs.ui``)."""
        return {**super().assets(), **ui.redoc_assets()}


class ChangelogView(DocsView):
    """``/api/changelog/``: JSON, or a readable page (``Accept: text/html`` or ``?format=html``)."""

    renderer_classes = [JSONRenderer, TemplateHTMLRenderer]
    template_name = "versioning_app/changelog.html"

    def get(self, request: Request) -> Response:
        """The changelog, newest version first."""
        changelog = build_changelog()
        if isinstance(request.accepted_renderer, TemplateHTMLRenderer):
            return Response(
                {
                    "versions": [_page_entry(entry) for entry in changelog["versions"]],
                    "title": _("API changelog"),
                    "no_changes": no_changes(),
                }
            )
        return Response(changelog)


def _page_entry(entry: dict[str, Any]) -> dict[str, Any]:
    # What the page shows beyond the JSON: the same date phrases as `api_changelog`, the
    # translated status, and the guide link only when it is http(s).
    guide = entry["documentation_url"]
    return {
        **entry,
        "dates": date_line(entry),
        "status_label": status_label(entry["status"]),
        "guide_url": guide if guide and safe_url(guide) else None,
    }

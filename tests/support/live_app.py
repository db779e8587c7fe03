"""Test-only code loaded by the live servers: which worker process answered."""

from __future__ import annotations

import os
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class WorkerPidMiddleware:
    """Adds ``X-Worker-Pid`` so a live test can tell the worker processes apart."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["X-Worker-Pid"] = str(os.getpid())
        return response

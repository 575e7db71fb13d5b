"""The project's URLs plus one page that fails, to see the 500 page as people get it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from guichet.urls import *  # noqa: F403  (every page, and the error handlers)
from guichet.urls import urlpatterns as project_urlpatterns


def failing_page(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [path("panne/", failing_page), *project_urlpatterns]

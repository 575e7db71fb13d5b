"""The schema (OpenAPI 3.1) and its documentation page: Swagger UI served from our own
static files (drf-spectacular-sidecar), its start-up script a separate file (no inline
script or style: the site's CSP holds)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from guichet.api.base import request_language
from guichet.api.errors import PROBLEM, problem


class SchemaView(SpectacularAPIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes: list[Any] = []


class DocsView(SpectacularSwaggerSplitView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes: list[Any] = []
    template_name = "api/swagger_ui.html"
    url_name = "api:schema"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        language = request.GET.get("lang") or request_language(request)
        language = "en" if language == "en" else "fr"
        with translation.override(language):
            response = super().dispatch(request, *args, **kwargs)
            if isinstance(response, Response):
                response.render()  # in the page's language, not the middleware's
        response["Content-Language"] = language
        return response

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().get(request, *args, **kwargs)
        if request.GET.get("script") is None and isinstance(response.data, dict):
            response.data["language"] = translation.get_language()
        return response


@csrf_exempt  # no session is read or written: a key's request has no CSRF token
def not_found(request: HttpRequest) -> HttpResponseBase:
    """An address under ``/api/v1/`` that names no resource: 404, as every API error."""
    language = request_language(request)
    with translation.override(language):
        body = problem(404, translation.gettext("Not found."))
    response = JsonResponse(body, status=404, content_type=PROBLEM)
    response["Content-Language"] = language
    return response

"""Every error in one shape: ``application/problem+json`` (RFC 9457), in the request's
language (``Accept-Language``: French unless English is asked for)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM = "application/problem+json"


class Refused(exceptions.APIException):
    """A domain refused the change (closed, full, already paid…): 409 with its reason."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "refused"

    def __init__(self, detail: str, code: str = "refused") -> None:
        super().__init__(detail, code)
        self.reason = code


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"


def titles() -> dict[int, str]:
    return {
        400: _("The request is not valid."),
        401: _("Authentication is required."),
        403: _("This is not allowed."),
        404: _("Not found."),
        405: _("This method is not allowed here."),
        406: _("This format is not available."),
        409: _("The change was refused."),
        412: _("The resource changed since you read it."),
        415: _("This media type is not supported."),
        428: _("A header is required."),
        429: _("Too many requests."),
    }


def problem(status_code: int, detail: str = "", **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": titles().get(status_code, _("Error.")),
        "status": status_code,
    }
    if detail:
        body["detail"] = detail
    body.update(extra)
    return body


def problem_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    extra: dict[str, Any] = {}
    detail = ""
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        detail = _("Some fields are not valid.")
        extra["errors"] = data if isinstance(data, dict) else {"non_field_errors": data}
    elif isinstance(data, dict) and "detail" in data:
        detail = str(data["detail"])
    if isinstance(exc, exceptions.APIException) and not isinstance(exc, exceptions.ValidationError):
        extra["code"] = exc.get_codes() if isinstance(exc.get_codes(), str) else "error"
    if isinstance(exc, Refused):
        extra["code"] = exc.reason
    response.data = problem(response.status_code, detail, **extra)
    response.content_type = PROBLEM
    return response

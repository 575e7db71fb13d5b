"""What every API view shares: the request's language, ETags, the audit row naming the
key, and the filters on dates that every list takes."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBase
from django.utils import translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import make_aware
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from guichet.api.errors import PreconditionFailed
from guichet.api.models import ApiKey
from guichet.api.pagination import KeysetPagination
from guichet.audit import services as audit
from guichet.audit.models import Action, Right
from guichet.core.features import require_feature
from guichet.dossiers import permissions
from guichet.dossiers.grants import Act
from guichet.dossiers.models import Dossier
from guichet.organizations.queries import organizations_of
from guichet.presets import Feature


def request_language(request: HttpRequest) -> str:
    """English when the client asks for it first, French otherwise (the operator's)."""
    for part in request.headers.get("Accept-Language", "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("en"):
            return "en"
        if tag.startswith("fr"):
            return "fr"
    return "fr"


def etag_of(data: Any) -> str:
    body = json.dumps(data, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"))
    return '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'


def parse_moment(name: str, value: str) -> datetime:
    """An ISO 8601 date or moment, in UTC (PostgreSQL refuses offsets past 15:59)."""
    invalid = ValidationError({name: [_("Enter a date or a date and time (ISO 8601).")]})
    try:
        moment = parse_datetime(value)
        if moment is None and (day := parse_date(value)):
            moment = datetime(day.year, day.month, day.day)  # noqa: DTZ001 (made aware below)
        if moment is None:
            raise invalid
        if moment.tzinfo is None:
            moment = make_aware(moment)
        return moment.astimezone(UTC)
    except (ValueError, OverflowError) as error:
        raise invalid from error


# An id in a path or a parameter: digits, within PostgreSQL's bigint.
WHOLE_NUMBER = re.compile(r"[0-9]{1,18}")


def whole_number(name: str, value: str) -> int:
    if not WHOLE_NUMBER.fullmatch(value):
        raise ValidationError({name: [_("Enter a whole number.")]})
    return int(value)


UPDATED_SINCE = OpenApiParameter(
    "updated_since",
    OpenApiTypes.DATETIME,
    description="Only rows changed at or after this moment; the list is then in that order.",
)


def date_parameters(*names: str) -> list[OpenApiParameter]:
    return [OpenApiParameter(name, OpenApiTypes.DATETIME) for name in names]


class ApiViewSet(GenericViewSet):
    """``resource`` names the scope; ``sync_field`` the column ``updated_since`` reads;
    ``feature``, the preset's feature without which the resource answers 404, as its
    pages do."""

    resource: str = ""
    sync_field: str = "id"
    feature: Feature | None = None
    pagination_class = KeysetPagination
    # Date filters: query parameter → lookup.
    date_filters: dict[str, str] = {}

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        language = request_language(request)
        with translation.override(language):
            response = super().dispatch(request, *args, **kwargs)
        response["Content-Language"] = language
        return response

    # Path parameters that are ids: anything else is not found, before any query.
    id_kwargs = ("pk", "organization")

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if self.feature is not None:
            require_feature(self.feature)
        for name in self.id_kwargs:
            if name in kwargs and not WHOLE_NUMBER.fullmatch(str(kwargs[name])):
                raise NotFound(_("Not found."))

    @property
    def keyset_field(self) -> str:
        return self.sync_field if "updated_since" in self.request.query_params else "id"

    @property
    def key(self) -> ApiKey:
        assert isinstance(self.request.auth, ApiKey)
        return self.request.auth

    @property
    def account(self) -> Any:
        return self.request.user

    @property
    def as_staff(self) -> bool:
        """A staff account's key sees what staff pages show; anyone else's, what their own
        pages show. A key made for one organization never acts as staff."""
        return self.key.organization_id is None and permissions.is_staff(self.account)

    @property
    def for_organization(self) -> bool:
        return self.key.organization_id is not None

    def organization_acted_for(self, act: Act) -> Dossier | None:
        """A key made for one organization: that organization, as « Mon organisation »
        takes it (``acting_for``): still one of the account's profiles, and the account
        holding ``act`` over it; None otherwise (its page would answer 404)."""
        organization = self.key.organization
        if organization is None or not (
            organizations_of(self.account).filter(pk=organization.pk).exists()
        ):
            return None
        if permissions.right_over(self.account, organization, act=act) is None:
            return None
        return organization

    def filter_dates(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        params = self.request.query_params
        if since := params.get("updated_since"):
            queryset = queryset.filter(
                **{f"{self.sync_field}__gte": parse_moment("updated_since", since)}
            )
        for name, lookup in self.date_filters.items():
            if value := params.get(name):
                queryset = queryset.filter(**{lookup: parse_moment(name, value)})
        return queryset

    def record_write(
        self, operation: str, *, dossier: Any = None, right: str = "", **data: Any
    ) -> None:
        """The audit row of a change made through the API, naming the key, in the
        change's transaction."""
        audit.record(
            Action.API_WRITE,
            actor=self.account,
            dossier=dossier,
            right=Right(right) if right else (Right.STAFF if self.as_staff else Right.SELF),
            request=self.request._request,
            data={"key": self.key.name, "operation": operation, **data},
        )

    def check_if_match(self, current: Any) -> None:
        expected = self.request.headers.get("If-Match")
        if expected and expected != "*" and expected != etag_of(current):
            raise PreconditionFailed()

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == status.HTTP_200_OK
            and isinstance(response, Response)
            and response.data is not None
        ):
            tag = etag_of(response.data)
            response["ETag"] = tag
            matches = [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]
            if tag in matches:
                response.status_code = status.HTTP_304_NOT_MODIFIED
                response.data = None
        return response

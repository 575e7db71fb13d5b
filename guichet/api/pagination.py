"""Keyset (cursor) pagination: each page continues after the last row of the previous one,
``WHERE (field, id) > (last_field, last_id) ORDER BY field, id LIMIT n``, so a page costs
the same at row 100 and at row 100,000 (no OFFSET). Lists are in id order, or in the order
of their synchronisation field when ``updated_since`` is given."""

from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model, Q, QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


def _encode(values: list[Any]) -> str:
    raw = json.dumps(values, cls=DjangoJSONEncoder, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> list[Any]:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError) as error:
        raise ValidationError({"cursor": [_("This cursor is not valid.")]}) from error
    if (
        not isinstance(values, list)
        or len(values) != 2
        or not isinstance(values[1], int)
        or isinstance(values[1], bool)
        or not 0 <= values[1] < 2**63
    ):
        raise ValidationError({"cursor": [_("This cursor is not valid.")]})
    return values


class KeysetPagination(BasePagination):
    cursor_query_param = "cursor"
    limit_query_param = "limit"

    def paginate_queryset(
        self, queryset: QuerySet[Any], request: Request, view: Any = None
    ) -> list[Any]:
        self.request = request
        field = getattr(view, "keyset_field", "id")
        self.field = field
        try:
            limit = int(request.query_params.get(self.limit_query_param, DEFAULT_LIMIT))
        except ValueError as error:
            raise ValidationError({"limit": [_("Enter a whole number.")]}) from error
        limit = max(1, min(limit, MAX_LIMIT))
        cursor = request.query_params.get(self.cursor_query_param)
        if field == "id":
            queryset = queryset.order_by("id")
            if cursor:
                queryset = queryset.filter(id__gt=int(_decode(cursor)[1]))
        else:
            queryset = queryset.order_by(field, "id")
            if cursor:
                value, last_id = _decode(cursor)
                try:
                    moment = parse_datetime(value) if isinstance(value, str) else None
                except ValueError:
                    moment = None
                if moment is None:  # every synchronisation field is a moment
                    raise ValidationError({"cursor": [_("This cursor is not valid.")]})
                value = moment
                # ``field >= v`` starts an index range scan on (field, id); the OR then
                # only skips the ties at ``v`` already served (no walk from the start).
                queryset = queryset.filter(**{f"{field}__gte": value}).filter(
                    Q(**{f"{field}__gt": value}) | Q(id__gt=last_id)
                )
        rows = list(queryset[: limit + 1])
        self.has_next = len(rows) > limit
        rows = rows[:limit]
        self.next_cursor = self._cursor_of(rows[-1]) if self.has_next and rows else None
        return rows

    def _cursor_of(self, row: Model) -> str:
        value = getattr(row, self.field)
        if isinstance(value, datetime):
            value = value.isoformat()
        return _encode([value, row.pk])

    def get_paginated_response(self, data: Any) -> Response:
        next_url = None
        if self.next_cursor:
            next_url = replace_query_param(
                self.request.build_absolute_uri(), self.cursor_query_param, self.next_cursor
            )
        return Response({"next": next_url, "next_cursor": self.next_cursor, "results": data})

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["next", "next_cursor", "results"],
            "properties": {
                "next": {"type": ["string", "null"], "format": "uri"},
                "next_cursor": {"type": ["string", "null"]},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.cursor_query_param,
                "in": "query",
                "required": False,
                "description": "The next_cursor of the previous page.",
                "schema": {"type": "string"},
            },
            {
                "name": self.limit_query_param,
                "in": "query",
                "required": False,
                "description": f"Rows per page (at most {MAX_LIMIT}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
            },
        ]

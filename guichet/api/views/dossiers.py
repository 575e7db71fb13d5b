"""Dossiers: read what the key's account may see; staff keys create and update them, the
API twin of the import (idempotent on the dossier number)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from guichet.api import services
from guichet.api.base import UPDATED_SINCE, ApiViewSet, etag_of
from guichet.api.models import Resource
from guichet.api.serializers import DossierSerializer, DossierWriteSerializer
from guichet.audit.models import Right
from guichet.dossiers.models import Dossier


class DossierViewSet(ApiViewSet):
    resource = Resource.DOSSIERS
    sync_field = "updated_at"
    serializer_class = DossierSerializer
    lookup_field = "number"
    lookup_value_regex = r"[^/]+"

    def get_queryset(self) -> QuerySet[Dossier]:
        if self.as_staff:
            return Dossier.objects.all()
        return Dossier.objects.for_account(self.account)

    @extend_schema(parameters=[UPDATED_SINCE])
    def list(self, request: Request) -> Response:
        queryset = self.filter_dates(self.get_queryset())
        if kind := request.query_params.get("kind"):
            queryset = queryset.filter(kind=kind)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, number: str) -> Response:
        dossier = get_object_or_404(self.get_queryset(), number=number)
        return Response(self.get_serializer(dossier).data)

    @extend_schema(
        request=DossierWriteSerializer,
        responses={200: DossierSerializer, 201: DossierSerializer},
        description="Create or update the dossier with this number (the import's rules).",
    )
    def update(self, request: Request, number: str) -> Response:
        if not self.as_staff:
            raise PermissionDenied(_("Only a staff key may create or update files."))
        incoming = DossierWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        with transaction.atomic():
            current = Dossier.objects.select_for_update().filter(number=number).first()
            if current is not None:
                self.check_if_match(DossierSerializer(current).data)
            try:
                dossier, created = services.upsert_dossier(number, dict(incoming.validated_data))
            except services.Invalid as invalid:
                raise ValidationError(invalid.errors) from invalid
            self.record_write(
                "dossier.created" if created else "dossier.updated",
                dossier=dossier,
                right=Right.STAFF,
                number=number,
            )
        data = DossierSerializer(dossier).data
        return Response(
            data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
            headers={"ETag": etag_of(data)},
        )

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context()}

"""Offerings and their sessions: the catalog as the key's account sees it (published
ones; staff: all), created and changed by staff keys."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from guichet.api import services
from guichet.api.base import UPDATED_SINCE, ApiViewSet, date_parameters, etag_of, whole_number
from guichet.api.models import Resource
from guichet.api.serializers import OfferingSerializer, SessionSerializer
from guichet.catalog.models import Offering, Session


class OfferingViewSet(ApiViewSet):
    resource = Resource.CATALOG
    sync_field = "updated_at"
    serializer_class = OfferingSerializer
    date_filters = {"starts_after": "starts_on__gte", "starts_before": "starts_on__lte"}

    def get_queryset(self) -> QuerySet[Offering]:
        offerings = Offering.objects.all() if self.as_staff else Offering.objects.published()
        return offerings.prefetch_related("sessions")

    def _staff_only(self) -> None:
        if not self.as_staff:
            raise PermissionDenied(_("Only a staff key may change the catalog."))

    @extend_schema(
        parameters=[
            UPDATED_SINCE,
            *date_parameters("starts_after", "starts_before"),
            OpenApiParameter("kind", str),
        ]
    )
    def list(self, request: Request) -> Response:
        queryset = self.filter_dates(self.get_queryset())
        if kind := request.query_params.get("kind"):
            queryset = queryset.filter(kind=kind)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(self.get_serializer(get_object_or_404(self.get_queryset(), pk=pk)).data)

    def create(self, request: Request) -> Response:
        self._staff_only()
        incoming = OfferingSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        with transaction.atomic():
            try:
                offering = services.save_model(Offering(), dict(incoming.validated_data))
            except services.Invalid as invalid:
                raise ValidationError(invalid.errors) from invalid
            self.record_write("offering.created", offering=offering.pk)
        data = OfferingSerializer(offering).data
        return Response(data, status=status.HTTP_201_CREATED, headers={"ETag": etag_of(data)})

    def partial_update(self, request: Request, pk: int) -> Response:
        self._staff_only()
        with transaction.atomic():
            offering = get_object_or_404(Offering.objects.select_for_update(), pk=pk)
            self.check_if_match(OfferingSerializer(offering).data)
            incoming = OfferingSerializer(offering, data=request.data, partial=True)
            incoming.is_valid(raise_exception=True)
            try:
                services.save_model(offering, dict(incoming.validated_data))
            except services.Invalid as invalid:
                raise ValidationError(invalid.errors) from invalid
            self.record_write(
                "offering.updated", offering=offering.pk, fields=sorted(incoming.validated_data)
            )
        data = OfferingSerializer(Offering.objects.get(pk=pk)).data
        return Response(data, headers={"ETag": etag_of(data)})


class SessionViewSet(ApiViewSet):
    resource = Resource.CATALOG
    serializer_class = SessionSerializer
    date_filters = {"starts_after": "starts_at__gte", "starts_before": "starts_at__lte"}

    def get_queryset(self) -> QuerySet[Session]:
        offerings = Offering.objects.all() if self.as_staff else Offering.objects.published()
        return Session.objects.filter(offering__in=offerings)

    @extend_schema(
        parameters=[
            *date_parameters("starts_after", "starts_before"),
            OpenApiParameter("offering", int),
        ]
    )
    def list(self, request: Request) -> Response:
        queryset = self.filter_dates(self.get_queryset())
        if offering := request.query_params.get("offering"):
            queryset = queryset.filter(offering_id=whole_number("offering", offering))
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(self.get_serializer(get_object_or_404(self.get_queryset(), pk=pk)).data)

    def create(self, request: Request) -> Response:
        if not self.as_staff:
            raise PermissionDenied(_("Only a staff key may change the catalog."))
        incoming = SessionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        with transaction.atomic():
            try:
                session = services.save_model(Session(), dict(incoming.validated_data))
            except services.Invalid as invalid:
                raise ValidationError(invalid.errors) from invalid
            self.record_write("session.created", session=session.pk)
        return Response(SessionSerializer(session).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: int) -> Response:
        if not self.as_staff:
            raise PermissionDenied(_("Only a staff key may change the catalog."))
        with transaction.atomic():
            session = get_object_or_404(Session.objects.select_for_update(), pk=pk)
            self.check_if_match(SessionSerializer(session).data)
            incoming = SessionSerializer(session, data=request.data, partial=True)
            incoming.is_valid(raise_exception=True)
            try:
                services.save_model(session, dict(incoming.validated_data))
            except services.Invalid as invalid:
                raise ValidationError(invalid.errors) from invalid
            self.record_write("session.updated", session=session.pk)
        return Response(SessionSerializer(session).data)

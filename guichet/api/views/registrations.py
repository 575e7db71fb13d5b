"""Registrations: read what the key's account sees on its pages; register a dossier
through registrations' own submit service, idempotent on the ``Idempotency-Key``."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from guichet.api import services
from guichet.api.base import UPDATED_SINCE, ApiViewSet, date_parameters, whole_number
from guichet.api.errors import Refused
from guichet.api.models import Resource
from guichet.api.serializers import RegistrationCreateSerializer, RegistrationSerializer
from guichet.catalog.models import Offering
from guichet.dossiers.models import Dossier
from guichet.registrations.models import Registration, RegistrationStatus

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    location=OpenApiParameter.HEADER,
    required=True,
    description="Unique per registration attempt: a retry with the same key creates nothing.",
)


class KeyRequired(APIException):
    status_code = 428
    default_code = "idempotency_key_required"


class RegistrationViewSet(ApiViewSet):
    resource = Resource.REGISTRATIONS
    sync_field = "updated_at"
    serializer_class = RegistrationSerializer
    date_filters = {"created_after": "created_at__gte", "created_before": "created_at__lte"}

    def get_queryset(self) -> QuerySet[Registration]:
        registrations = (
            Registration.objects.all()
            if self.as_staff
            else Registration.objects.visible_to(self.account)
        )
        return registrations.select_related("participant")

    @extend_schema(
        parameters=[
            UPDATED_SINCE,
            *date_parameters("created_after", "created_before"),
            OpenApiParameter("status", str, enum=RegistrationStatus.values),
            OpenApiParameter("offering", int),
        ]
    )
    def list(self, request: Request) -> Response:
        queryset = self.filter_dates(self.get_queryset())
        params = request.query_params
        if wanted := params.get("status"):
            if wanted not in RegistrationStatus.values:
                raise ValidationError({"status": [_("Unknown status.")]})
            queryset = queryset.filter(status=wanted)
        if offering := params.get("offering"):
            queryset = queryset.filter(offering_id=whole_number("offering", offering))
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(self.get_serializer(get_object_or_404(self.get_queryset(), pk=pk)).data)

    @extend_schema(
        request=RegistrationCreateSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={
            201: RegistrationSerializer,
            409: OpenApiResponse(description="Refused: closed, not eligible, already…"),
        },
    )
    def create(self, request: Request) -> Response:
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key or len(key) > 40:
            raise KeyRequired(_("Send an Idempotency-Key header (at most 40 characters)."))
        incoming = RegistrationCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        values = incoming.validated_data
        # Both found the way the pages find them: the published catalog (staff: all)
        # and a dossier the account acts for; anything else is refused alike.
        offerings = Offering.objects.all() if self.as_staff else Offering.objects.published()
        offering = offerings.filter(pk=values["offering"]).first()
        participant = Dossier.objects.filter(number=values["participant"]).first()
        if offering is None or participant is None:
            raise Refused(_("You may not register this person."), "no_right")
        try:
            options = {int(pk): int(qty) for pk, qty in values["options"].items()}
        except ValueError as error:
            raise ValidationError({"options": [_("Option ids are numbers.")]}) from error
        started = timezone.now()
        with transaction.atomic():
            line, registration = services.register(
                actor=self.account,
                offering=offering,
                participant=participant,
                options=options,
                answers=values["answers"],
                idempotency_key=f"{self.key.pk}:{key}",
            )
            if registration is None:
                raise Refused(line.get("reason") or _("Refused."), line.get("refusal", "refused"))
            # A retry with the same key finds the first submission: nothing new to record.
            replayed = bool(
                registration.submission and registration.submission.created_at < started
            )
            if not replayed:
                self.record_write(
                    "registration.created",
                    dossier=participant,
                    right=registration.right,
                    registration=registration.pk,
                    idempotency_key=key,
                )
        registration.refresh_from_db()
        return Response(
            RegistrationSerializer(registration).data,
            status=status.HTTP_201_CREATED,
            headers={"Idempotent-Replayed": "true"} if replayed else {},
        )

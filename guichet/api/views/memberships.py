"""Member types, memberships and membership applications, as the key's account sees them
on its pages: staff every one; anyone else the types offered, the memberships of the
dossier it holds (« Devenir membre » in « Mon dossier ») and the applications it sent
(« Mes demandes d'adhésion »)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.db.models.functions import Greatest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from guichet.api.base import UPDATED_SINCE, ApiViewSet, whole_number
from guichet.api.models import Resource
from guichet.api.serializers import (
    ApplicationSerializer,
    MembershipSerializer,
    MemberTypeSerializer,
)
from guichet.dossiers import permissions
from guichet.memberships.models import (
    Application,
    ApplicationStatus,
    Membership,
    MembershipStatus,
    MemberType,
)
from guichet.presets import Feature


class MemberTypeViewSet(ApiViewSet):
    resource = Resource.MEMBERSHIPS
    feature = Feature.MEMBERSHIPS
    serializer_class = MemberTypeSerializer

    def get_queryset(self) -> QuerySet[MemberType]:
        types = MemberType.objects.all()
        return types if self.as_staff else types.filter(active=True)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(self.get_serializer(get_object_or_404(self.get_queryset(), pk=pk)).data)


class MembershipViewSet(ApiViewSet):
    """``updated_since`` reads its last change: made, started, or ended (lapsed, cancelled)."""

    resource = Resource.MEMBERSHIPS
    feature = Feature.MEMBERSHIPS
    sync_field = "changed_at"
    serializer_class = MembershipSerializer

    def get_queryset(self) -> QuerySet[Membership]:
        memberships = Membership.objects.select_related("dossier").annotate(
            changed_at=Greatest("created_at", "started_at", "ended_at")
        )
        if self.as_staff:
            return memberships
        return memberships.filter(dossier=permissions.held_dossier(self.account))

    @extend_schema(
        parameters=[
            UPDATED_SINCE,
            OpenApiParameter("status", str, enum=MembershipStatus.values),
            OpenApiParameter("member_type", int),
        ]
    )
    def list(self, request: Request) -> Response:
        queryset = self.filter_dates(self.get_queryset())
        params = request.query_params
        if wanted := params.get("status"):
            if wanted not in MembershipStatus.values:
                raise ValidationError({"status": [_("Unknown status.")]})
            queryset = queryset.filter(status=wanted)
        if member_type := params.get("member_type"):
            queryset = queryset.filter(member_type_id=whole_number("member_type", member_type))
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(self.get_serializer(get_object_or_404(self.get_queryset(), pk=pk)).data)


class ApplicationViewSet(ApiViewSet):
    """``updated_since`` reads its last change: sent, back in the queue, or decided."""

    resource = Resource.MEMBERSHIPS
    feature = Feature.MEMBERSHIPS
    sync_field = "changed_at"
    serializer_class = ApplicationSerializer

    def get_queryset(self) -> QuerySet[Application]:
        applications = (
            Application.objects.all()
            if self.as_staff
            else Application.objects.visible_to(self.account)
        )
        return applications.select_related("dossier").annotate(
            changed_at=Greatest("submitted_at", "queued_at", "decided_at")
        )

    @extend_schema(
        parameters=[UPDATED_SINCE, OpenApiParameter("status", str, enum=ApplicationStatus.values)]
    )
    def list(self, request: Request) -> Response:
        queryset = self.filter_dates(self.get_queryset())
        if wanted := request.query_params.get("status"):
            if wanted not in ApplicationStatus.values:
                raise ValidationError({"status": [_("Unknown status.")]})
            queryset = queryset.filter(status=wanted)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(self.get_serializer(get_object_or_404(self.get_queryset(), pk=pk)).data)

"""Organizations and their relations, as the key's account sees them on its pages: the
profiles it may act as (staff: every organization), and the relations with their
authorized subjects of an organization it manages (« Relations et autorisations »:
``READ_RELATIONS``); another organization's relations answer 404. A key made for one
organization sees that organization only."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.db.models.functions import Greatest
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.request import Request
from rest_framework.response import Response

from guichet.api.base import UPDATED_SINCE, ApiViewSet
from guichet.api.models import Resource
from guichet.api.serializers import OrganizationSerializer, RelationSerializer
from guichet.dossiers import permissions
from guichet.dossiers.models import Dossier, DossierKind
from guichet.organizations import queries
from guichet.organizations.grants import READ_RELATIONS
from guichet.organizations.models import Relation, RelationSubject
from guichet.presets import Feature

ORGANIZATION = OpenApiParameter(
    "organization", OpenApiTypes.INT, location=OpenApiParameter.PATH, description="Its id."
)


class OrganizationViewSet(ApiViewSet):
    resource = Resource.ORGANIZATIONS
    feature = Feature.ORGANIZATIONS
    sync_field = "updated_at"
    serializer_class = OrganizationSerializer

    def get_queryset(self) -> QuerySet[Dossier]:
        if self.as_staff:
            return Dossier.objects.filter(kind=DossierKind.ORGANIZATION)
        if self.for_organization:
            return queries.organizations_of(self.account).filter(pk=self.key.organization_id)
        return queries.organizations_of(self.account)

    @extend_schema(parameters=[UPDATED_SINCE])
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_dates(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(self.get_serializer(get_object_or_404(self.get_queryset(), pk=pk)).data)


@extend_schema_view(
    list=extend_schema(parameters=[ORGANIZATION, UPDATED_SINCE]),
    retrieve=extend_schema(
        parameters=[ORGANIZATION, OpenApiParameter("id", int, OpenApiParameter.PATH)]
    ),
)
class RelationViewSet(ApiViewSet):
    """``updated_since`` reads when a relation was added or removed (``changed_at``, the
    later of the two); a subject withdrawn alone is told by nothing but the list."""

    resource = Resource.ORGANIZATIONS
    feature = Feature.ORGANIZATIONS
    sync_field = "changed_at"
    serializer_class = RelationSerializer

    def organization(self) -> Dossier:
        """The organization in the path, if the key's account manages its relations as
        « Relations et autorisations » requires (staff: any); else 404."""
        wanted = int(self.kwargs["organization"])
        if self.for_organization and wanted != self.key.organization_id:
            raise Http404  # a key made for another organization
        if self.as_staff:
            return get_object_or_404(Dossier, pk=wanted, kind=DossierKind.ORGANIZATION)
        organization = queries.organizations_of(self.account).filter(pk=wanted).first()
        if organization is None or (
            permissions.right_over(self.account, organization, act=READ_RELATIONS) is None
        ):
            raise Http404
        return organization

    def get_queryset(self) -> QuerySet[Relation]:
        subjects = RelationSubject.objects.select_related("authorized_subject")
        return (
            queries.contacts_of(self.organization())
            .prefetch_related(Prefetch("subjects", queryset=subjects))
            .annotate(changed_at=Greatest("created_at", "removed_at"))
        )

    def list(self, request: Request, organization: int) -> Response:
        page = self.paginate_queryset(self.filter_dates(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, organization: int, pk: int) -> Response:
        return Response(self.get_serializer(get_object_or_404(self.get_queryset(), pk=pk)).data)

"""Invoices, credit notes and payments as the key's account sees them (a key made for one
organization: that organization's statement); staff keys record an offline payment
through billing's own service."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from guichet.api.base import UPDATED_SINCE, ApiViewSet, date_parameters, whole_number
from guichet.api.errors import Refused
from guichet.api.models import Resource
from guichet.api.serializers import (
    CreditNoteSerializer,
    InvoiceSerializer,
    OfflinePaymentSerializer,
    PaymentSerializer,
)
from guichet.audit.models import Right
from guichet.billing.models import CreditNote, Invoice, Payment
from guichet.billing.services.ledger import PaymentRefused
from guichet.billing.services.payments import record_receipt, with_balance
from guichet.dossiers.grants import READ_BILLING


def visible_invoices(view: ApiViewSet) -> QuerySet[Invoice]:
    """Staff: every invoice. A key made for one organization: the organization's
    « État de compte » (``organizations.views.pages.statement``: the account's own
    scoped invoices addressed to the organization, with ``READ_BILLING`` over it).
    Anyone else: what their « Mes factures et crédits » shows."""
    if view.as_staff:
        return Invoice.objects.all()
    if view.for_organization:
        organization = view.organization_acted_for(READ_BILLING)
        if organization is None:
            return Invoice.objects.none()
        return Invoice.objects.visible_to(view.account).filter(payer_dossier=organization)
    return Invoice.objects.visible_to(view.account)


class InvoiceViewSet(ApiViewSet):
    resource = Resource.BILLING
    sync_field = "updated_at"
    serializer_class = InvoiceSerializer
    date_filters = {"issued_after": "issued_at__gte", "issued_before": "issued_at__lte"}

    def get_queryset(self) -> QuerySet[Invoice]:
        return visible_invoices(self).select_related("source_type")

    @extend_schema(
        parameters=[
            UPDATED_SINCE,
            *date_parameters("issued_after", "issued_before"),
            OpenApiParameter("status", str, enum=["open", "settled"]),
        ]
    )
    def list(self, request: Request) -> Response:
        queryset = self.filter_dates(self.get_queryset())
        wanted = request.query_params.get("status")
        if wanted == "open":
            queryset = with_balance(queryset).filter(owed__gt=0)
        elif wanted == "settled":
            queryset = with_balance(queryset).filter(owed__lte=0)
        elif wanted:
            raise ValidationError({"status": [_("Unknown status.")]})
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(self.get_serializer(get_object_or_404(self.get_queryset(), pk=pk)).data)

    @extend_schema(request=OfflinePaymentSerializer, responses={201: PaymentSerializer})
    @action(detail=True, methods=["post"])
    def payments(self, request: Request, pk: int) -> Response:
        """Record money received offline (Interac, transfer, cheque): staff keys only."""
        if not self.as_staff:
            raise PermissionDenied(_("Only a staff key may record a payment."))
        incoming = OfflinePaymentSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        invoice = get_object_or_404(self.get_queryset(), pk=pk)
        values = incoming.validated_data
        with transaction.atomic():
            try:
                payment = record_receipt(
                    invoice,
                    amount=values["amount"],
                    method=values["method"],
                    received_on=values["received_on"],
                    reference=values.get("reference", ""),
                    actor=self.account,
                )
            except PaymentRefused as refused:
                raise Refused(str(refused), "payment_refused") from refused
            self.record_write(
                "payment.recorded",
                dossier=invoice.payer_dossier,
                right=Right.STAFF,
                invoice=invoice.pk,
                payment=payment.pk,
            )
        return Response(PaymentSerializer(payment).data, status=status.HTTP_201_CREATED)


class CreditNoteViewSet(ApiViewSet):
    resource = Resource.BILLING
    sync_field = "issued_at"
    serializer_class = CreditNoteSerializer
    date_filters = {"issued_after": "issued_at__gte", "issued_before": "issued_at__lte"}

    def get_queryset(self) -> QuerySet[CreditNote]:
        if self.as_staff:
            return CreditNote.objects.all()
        if self.for_organization:
            return CreditNote.objects.filter(invoice__in=visible_invoices(self))
        return CreditNote.objects.visible_to(self.account)

    @extend_schema(parameters=[UPDATED_SINCE, *date_parameters("issued_after", "issued_before")])
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_dates(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(self.get_serializer(get_object_or_404(self.get_queryset(), pk=pk)).data)


class PaymentViewSet(ApiViewSet):
    resource = Resource.BILLING
    sync_field = "recorded_at"
    serializer_class = PaymentSerializer
    date_filters = {"received_after": "received_on__gte", "received_before": "received_on__lte"}

    def get_queryset(self) -> QuerySet[Payment]:
        if self.as_staff:
            return Payment.objects.all()
        if self.for_organization:
            return Payment.objects.filter(invoice__in=visible_invoices(self))
        return Payment.objects.visible_to(self.account)

    @extend_schema(
        parameters=[
            UPDATED_SINCE,
            *date_parameters("received_after", "received_before"),
            OpenApiParameter("invoice", int),
        ]
    )
    def list(self, request: Request) -> Response:
        queryset = self.filter_dates(self.get_queryset())
        if invoice := request.query_params.get("invoice"):
            queryset = queryset.filter(invoice_id=whole_number("invoice", invoice))
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(self.get_serializer(get_object_or_404(self.get_queryset(), pk=pk)).data)

"""The domain signals this app turns into webhook events (connected on import, from
``ApiConfig.ready``). Every domain signal used here is sent after its transaction
commits, except billing's ``invoice_settled`` and memberships' ``membership_ended`` (sent
inside it): those wait for the commit here."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import receiver

from guichet.api.models import RelationChange
from guichet.api.serializers import (
    ApplicationSerializer,
    CreditNoteSerializer,
    DossierSerializer,
    InvoiceSerializer,
    MembershipSerializer,
    PaymentSerializer,
    RegistrationSerializer,
)
from guichet.api.webhooks import relations
from guichet.api.webhooks.events import emit
from guichet.billing import signals as billing
from guichet.dossiers import signals as dossiers
from guichet.memberships import signals as memberships
from guichet.organizations import signals as organizations
from guichet.registrations import signals as registrations

REGISTRATION_EVENTS = {
    registrations.registration_created: "registration.created",
    registrations.registration_waitlisted: "registration.waitlisted",
    registrations.registration_offered: "registration.offered",
    registrations.registration_confirmed: "registration.confirmed",
    registrations.registration_cancelled: "registration.cancelled",
}


def _registration_event(signal: Any, registration: Any, **kwargs: Any) -> None:
    emit(REGISTRATION_EVENTS[signal], {"registration": RegistrationSerializer(registration).data})


for _signal in REGISTRATION_EVENTS:
    _signal.connect(_registration_event, dispatch_uid=f"api-webhooks-{id(_signal)}")


@receiver(dossiers.dossier_linked, dispatch_uid="api-webhooks-dossier-linked")
def dossier_linked(link: Any, **kwargs: Any) -> None:
    emit(
        "dossier.linked",
        {
            "dossier": DossierSerializer(link.dossier).data,
            "role": link.role,
            "method": link.method,
            "linked_at": link.created_at.isoformat(),
        },
    )


@receiver(billing.invoice_issued, dispatch_uid="api-webhooks-invoice-issued")
def invoice_issued(invoice: Any, **kwargs: Any) -> None:
    emit("invoice.issued", {"invoice": InvoiceSerializer(invoice).data})


@receiver(billing.invoice_settled, dispatch_uid="api-webhooks-invoice-paid")
def invoice_paid(invoice: Any, **kwargs: Any) -> None:
    data = {"invoice": InvoiceSerializer(invoice).data}
    transaction.on_commit(lambda: emit("invoice.paid", data), robust=True)


@receiver(billing.invoice_credited, dispatch_uid="api-webhooks-invoice-credited")
def invoice_credited(invoice: Any, credit_note: Any, **kwargs: Any) -> None:
    emit(
        "invoice.credited",
        {
            "invoice": InvoiceSerializer(invoice).data,
            "credit_note": CreditNoteSerializer(credit_note).data,
        },
    )


@receiver(billing.payment_recorded, dispatch_uid="api-webhooks-payment-recorded")
def payment_recorded(payment: Any, **kwargs: Any) -> None:
    emit("payment.recorded", {"payment": PaymentSerializer(payment).data})


@receiver(organizations.relation_added, dispatch_uid="api-webhooks-relation-added")
def relation_added(relation: Any, **kwargs: Any) -> None:
    relations.announce_once(relation, RelationChange.ADDED)


@receiver(organizations.relation_removed, dispatch_uid="api-webhooks-relation-removed")
def relation_removed(relation: Any, **kwargs: Any) -> None:
    # Once: not again if it already ended by its date (the sweep told it then).
    relations.announce_once(relation, RelationChange.REMOVED, reason="removed")


@receiver(memberships.membership_approved, dispatch_uid="api-webhooks-membership-approved")
def membership_approved(application: Any, membership: Any, **kwargs: Any) -> None:
    emit(
        "membership.approved",
        {
            "membership": MembershipSerializer(membership).data,
            "application": ApplicationSerializer(application).data,
        },
    )


@receiver(memberships.membership_ended, dispatch_uid="api-webhooks-membership-lapsed")
def membership_lapsed(membership: Any, reason: str, **kwargs: Any) -> None:
    if reason != "lapsed":
        return
    data = {"membership": MembershipSerializer(membership).data}
    transaction.on_commit(lambda: emit("membership.lapsed", data), robust=True)

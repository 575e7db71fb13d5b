"""The demo's registrations of this season, with their invoices paid, unpaid or credited.

Marie Tremblay registers, through the real services: the annual congress, left unpaid;
hockey cosom for Léa, where she is her guardian, paid by card; her own training, partly
paid by a cheque of 200 $; yoga, cancelled before paying and so credited in full. Loaded
after ``billing.demo`` (last summer's paid day camp and its Relevé 24), so the invoice
numbers are those the demo always had. Nothing is created twice: once Marie has invoices
for registrations, ``load`` leaves them as they are.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from guichet.billing.models import Invoice, PaymentMethod
from guichet.billing.services.ledger import record_payment
from guichet.catalog.models import Offering
from guichet.dossiers.models import Dossier, DossierLink, LinkRole
from guichet.registrations.models import Registration
from guichet.registrations.services.changes import cancel
from guichet.registrations.services.register import ToRegister, confirm, submit_cart

if TYPE_CHECKING:
    from guichet.accounts.models import Account


@transaction.atomic
def load() -> list[tuple[str, str]]:
    """Marie's registrations of this season and their invoices (where the operator bills).
    Its summary is ``billing.demo``'s « Factures (Marie Tremblay) »: nothing to add."""
    marie_link = (
        DossierLink.objects.active()
        .filter(dossier__number="104523", role=LinkRole.HOLDER)
        .select_related("account", "dossier")
        .first()
    )
    if marie_link is None:
        return []
    marie, dossier = marie_link.account, marie_link.dossier
    if Invoice.objects.filter(payer_dossier=dossier, registration__isnull=False).exists():
        return []
    lea = (
        DossierLink.objects.active()
        .filter(account=marie, role=LinkRole.GUARDIAN, dossier__number="104524")
        .select_related("dossier")
        .first()
    )
    _this_season(marie, dossier, lea.dossier if lea else None)
    return []


def _register(actor: Account, participant: Dossier, slug: str) -> Registration | None:
    offering = Offering.objects.filter(slug=slug).first()
    if offering is None:
        return None
    result = submit_cart(
        actor=actor,
        lines=[ToRegister(offering, participant, {}, {})],
        idempotency_key=uuid.uuid4().hex,
    )
    pk = result["lines"][0]["registration"]
    if pk is None:
        return None
    registration = Registration.objects.get(pk=pk)
    if not registration.is_held:
        return None
    return confirm(registration, actor=actor)


def _this_season(marie: Account, dossier: Dossier, lea: Dossier | None) -> None:
    # The annual congress: unpaid (the invoice waits for « Payer maintenant » or « Envoyer »).
    _register(marie, dossier, "congres-annuel-2027")
    # Léa's hockey cosom, where Marie is her guardian: paid by card.
    hockey = _register(marie, lea, "hockey-cosom-9-12-ans") if lea else None
    if hockey is not None:
        invoice = hockey.invoices.get()
        record_payment(
            invoice,
            amount=invoice.total,
            method=PaymentMethod.CARD,
            provider_reference=f"demo_{uuid.uuid4().hex}",
        )
    # Marie's own training: a first cheque of 200 $ received.
    training = _register(marie, dossier, "gestion-contractuelle-municipale")
    if training is not None:
        record_payment(
            training.invoices.get(),
            amount=Decimal("200.00"),
            method=PaymentMethod.CHEQUE,
            reference="0157",
            received_on=timezone.localdate(),  # never before the invoice, issued today
        )
    # Yoga: registered, then cancelled before paying — credited in full.
    yoga = _register(marie, dossier, "yoga-pour-adultes")
    if yoga is not None:
        cancel(yoga, actor=marie)

"""Billing's cast, built through the real services: a registration made with
``submit_cart`` and confirmed with ``confirm`` gets its invoice as in production."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from guichet.billing.models import Invoice
from guichet.dossiers.models import LinkRole
from guichet.registrations.models import Registration
from guichet.registrations.services.register import ToRegister, confirm, submit_cart
from tests.catalog.factories import OfferingFactory
from tests.dossiers.factories import ChildDossierFactory, DossierFactory, DossierLinkFactory
from tests.factories import AccountFactory


def holder(**account_kwargs: Any):
    """An account holding its own adult dossier; returns (account, dossier)."""
    account = AccountFactory(**account_kwargs)
    dossier = DossierFactory(
        first_name=account.first_name, last_name=account.last_name, email=account.email
    )
    DossierLinkFactory(account=account, dossier=dossier, role=LinkRole.HOLDER)
    return account, dossier


def child_of(*guardians, **dossier_kwargs: Any):
    """A child dossier with each given account as guardian."""
    child = ChildDossierFactory(**dossier_kwargs)
    for guardian in guardians:
        DossierLinkFactory(account=guardian, dossier=child, role=LinkRole.GUARDIAN)
    return child


def invoiced(actor, participant, offering=None, *, options=None, companions=None, **offering_kw):
    """Register ``participant`` (by ``actor``) and confirm: returns (registration, invoice),
    the first invoice (card-only gala companions are billed on a second one)."""
    offering = offering or OfferingFactory(**offering_kw)
    result = submit_cart(
        actor=actor,
        lines=[ToRegister(offering, participant, options or {}, {}, companions or {})],
        idempotency_key=str(uuid.uuid4()),
    )
    line = result["lines"][0]
    assert line["registration"], line["reason"]
    registration = confirm(Registration.objects.get(pk=line["registration"]), actor=actor)
    registration.refresh_from_db()
    return registration, Invoice.objects.filter(registration=registration).order_by("id").first()


def money(value: str) -> Decimal:
    return Decimal(value)


def plain_invoice(account, dossier, amount: str = "100.00", *, description: str = "Cotisation"):
    """An invoice to ``account`` (for ``dossier``) issued by the real service, without a
    registration: quick to make many of."""
    from guichet.billing.services.invoicing import DraftLine, Payer, issue_invoice

    return issue_invoice(
        payer=Payer(dossier, account),
        lines=[DraftLine(description=description, unit_price=Decimal(amount))],
        actor=account,
        participant=dossier,
        description=description,
    )


def submit_line(actor, participant, offering) -> Registration:
    """Submit one line without confirming (held, or waiting when full)."""
    result = submit_cart(
        actor=actor,
        lines=[ToRegister(offering, participant, {}, {})],
        idempotency_key=str(uuid.uuid4()),
    )
    return Registration.objects.get(pk=result["lines"][0]["registration"])

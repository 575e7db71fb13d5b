"""The demo's history of invoices and its Relevé 24.

Marie Tremblay (guardian of Léa and Thomas) gets, through the real services, last
summer's day camp for both children, carried over from the operator's former system and
paid (card for Léa, two cheques for Thomas), which makes a Relevé 24 per child. This
season's invoices come from registrations (``registrations/demo.py``, loaded after this
one): billing builds no registration. Nothing is created twice: once Marie has invoices,
``load`` leaves them as they are (issued documents are never edited, and their numbers
never reused).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from guichet.billing.models import Invoice, PaymentMethod, TaxSlipBatch
from guichet.billing.services.invoicing import DraftLine, Payer, issue_invoice
from guichet.billing.services.ledger import record_payment
from guichet.billing.services.rl24 import record_sin
from guichet.billing.services.rl24_batch import run_batch
from guichet.dossiers.models import Dossier, DossierLink, LinkRole

MONTREAL = ZoneInfo("America/Montreal")
# The example number of Canada's own guides: it passes the Luhn check.
DEMO_SIN = "130 692 544"


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=MONTREAL)


@transaction.atomic
def load(now: datetime | None = None) -> list[tuple[str, str]]:
    """Last summer's paid day camp and its Relevé 24; the summary lines of « Mes factures »
    (the invoices of this season come from ``registrations.demo.load``, run next)."""
    marie_link = (
        DossierLink.objects.active()
        .filter(dossier__number="104523", role=LinkRole.HOLDER)
        .select_related("account", "dossier")
        .first()
    )
    if marie_link is None:
        return []
    marie, dossier = marie_link.account, marie_link.dossier
    # Her children, where the operator has households (her guardian links).
    children = {
        link.dossier.first_name: link.dossier
        for link in DossierLink.objects.active()
        .filter(account=marie, role=LinkRole.GUARDIAN, dossier__number__in=("104524", "104525"))
        .select_related("dossier")
    }
    if not Invoice.objects.filter(payer_dossier=dossier).exists() and len(children) == 2:
        _summer_camp(marie, dossier, children, year=last_summer(timezone.localdate(now)))
    if len(children) != 2:
        return [("Factures (Marie Tremblay)", "« Mes factures et crédits »")]
    return [
        (
            "Factures (Marie Tremblay)",
            "« Mes factures et crédits » : payée, impayée, partiellement payée, créditée",
        ),
        ("Relevé 24 (Marie Tremblay)", "/factures/releve-24/ (Léa et Thomas)"),
    ]


# Invoices of the last months, not for a registration: rentals and pool passes. They give
# the staff home's revenue per month its history and its unpaid balances their ages.
# (days ago, description, amount before taxes, paid)
OLDER = (
    (12, "Location du gymnase — fête d'enfants", "150.00", False),
    (25, "Carte de piscine — 10 bains", "60.00", True),
    (41, "Location de la salle communautaire", "250.00", False),
    (48, "Carte de piscine — 10 bains", "60.00", True),
    (66, "Location du gymnase", "150.00", False),
    (79, "Location de la salle communautaire", "300.00", True),
    (97, "Location de la salle communautaire", "300.00", False),
    (118, "Carte de piscine — 10 bains", "60.00", True),
    (150, "Location du gymnase", "150.00", True),
    (185, "Location de la salle communautaire", "250.00", True),
    (220, "Carte de piscine — 10 bains", "60.00", True),
    (260, "Location du gymnase", "150.00", True),
)


def older_balances(staff: Any, payers: list[Dossier], now: datetime | None = None) -> None:
    """The invoices of ``OLDER`` to ``payers`` in turn (files without an account or an
    address: no email), the paid ones paid five days after issue. Called once, by
    ``registrations.demo.season_rosters``."""
    moment = now or timezone.now()
    for n, (days, description, amount, paid) in enumerate(OLDER):
        payer = payers[n % len(payers)]
        issued_at = moment - timedelta(days=days)
        invoice = issue_invoice(
            payer=Payer(payer, None),
            lines=[DraftLine(description, Decimal(amount))],
            actor=staff,
            description=description,
            issued_at=issued_at,
        )
        if paid:
            record_payment(
                invoice,
                amount=invoice.total,
                method=PaymentMethod.INTERAC,
                actor=staff,
                received_on=timezone.localdate(issued_at + timedelta(days=5)),
            )


def last_summer(today: date) -> int:
    """The year of the last summer that is over (its day camp has been paid)."""
    return today.year if today >= date(today.year, 9, 1) else today.year - 1


def _summer_camp(marie: Any, dossier: Dossier, children: dict[str, Dossier], *, year: int) -> None:
    """Last summer's day camp, carried over with its payments: the Relevé 24's amounts."""
    record_sin(dossier, DEMO_SIN, actor=marie)
    for child, paid_by in (("Léa", "card"), ("Thomas", "cheques")):
        participant = children[child]
        invoice = issue_invoice(
            payer=Payer(dossier, marie),
            lines=[
                DraftLine(
                    f"Camp de jour — été {year} (6 semaines) — {participant.display_name}",
                    Decimal("480.00"),
                    tax_exempt=True,
                    childcare_eligible=True,
                ),
                DraftLine(
                    "Service de garde (7 h à 9 h)",
                    Decimal("90.00"),
                    tax_exempt=True,
                    childcare_eligible=True,
                ),
            ],
            actor=marie,
            participant=participant,
            description=f"Camp de jour — été {year}",
            issued_at=at(date(year, 5, 20)),
        )
        if paid_by == "card":
            record_payment(
                invoice,
                amount=invoice.total,
                method=PaymentMethod.CARD,
                received_on=date(year, 5, 20),
                provider_reference=f"demo_{uuid.uuid4().hex}",
            )
        else:
            record_payment(
                invoice,
                amount=Decimal("285.00"),
                method=PaymentMethod.CHEQUE,
                received_on=date(year, 6, 1),
                reference="0142",
            )
            record_payment(
                invoice,
                amount=invoice.total - Decimal("285.00"),
                method=PaymentMethod.CHEQUE,
                received_on=date(year, 7, 2),
                reference="0143",
            )
    run_batch(TaxSlipBatch.objects.create(year=year))

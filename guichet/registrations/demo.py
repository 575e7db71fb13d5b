"""The demo's registrations of this season, with their invoices paid, unpaid or credited.

Marie Tremblay registers, through the real services: the annual congress, left unpaid;
hockey cosom for Léa, where she is her guardian, paid by card; her own training, partly
paid by a cheque of 200 $; yoga, cancelled before paying and so credited in full. Loaded
after ``billing.demo`` (last summer's paid day camp and its Relevé 24), so the invoice
numbers are those the demo always had. Nothing is created twice: once Marie has invoices
for registrations, ``load`` leaves them as they are.

Then the season's rosters (``season_rosters``), so that the staff home's charts mean
something: residents registered at the counter by the operator's staff, spread over the
days after the opening (most on the first evening), the activities filled up to their
capacity and the rest on a waiting list, their invoices paid or still owed.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from guichet import presets
from guichet.accounts.demo import staff_account
from guichet.accounts.models import Account
from guichet.billing import demo as billing_demo
from guichet.billing.models import Invoice, PaymentMethod
from guichet.billing.services.invoicing import DraftLine, Payer, issue_invoice
from guichet.billing.services.ledger import record_payment
from guichet.catalog.models import Offering, OfferingKind
from guichet.dossiers.models import Dossier, DossierKind, DossierLink, LinkRole
from guichet.registrations.models import PriceCategory, Registration, RegistrationStatus
from guichet.registrations.services.changes import cancel
from guichet.registrations.services.register import ToRegister, confirm, submit_cart


@transaction.atomic
def load() -> list[tuple[str, str]]:
    """Marie's registrations of this season and their invoices (where the operator bills),
    then the season's rosters where the catalog has activities. Its summary is
    ``billing.demo``'s « Factures (Marie Tremblay) » and one line for the rosters."""
    lines = _maries_season()
    operator = presets.active()
    staff = Account.objects.filter(email=staff_account(operator).email, is_staff=True).first()
    if staff is not None and "activity" in operator.offering_kinds:
        season_rosters(staff)
        lines.append(
            (
                "Tableau de bord (personnel)",
                "/personnel/ : inscriptions, listes d'attente, revenus, soldes impayés",
            )
        )
    return lines


def _maries_season() -> list[tuple[str, str]]:
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


# The season's rosters ---------------------------------------------------------------------
FIRST_NAMES = (
    "Emma",
    "Olivia",
    "Alice",
    "Charlotte",
    "Léa",
    "Florence",
    "Rosalie",
    "Béatrice",
    "Noah",
    "William",
    "Thomas",
    "Liam",
    "Léo",
    "Jacob",
    "Nathan",
    "Édouard",
)
LAST_NAMES = (
    "Gagnon",
    "Roy",
    "Côté",
    "Bouchard",
    "Gauthier",
    "Morin",
    "Lavoie",
    "Fortin",
    "Gagné",
    "Ouellet",
    "Pelletier",
    "Bélanger",
    "Lévesque",
    "Bergeron",
    "Leblanc",
    "Paquette",
)
RESIDENTS = 64
FIRST_NUMBER = 310001  # the residents' file numbers: 310001 to 310064
# Of each hundred registrations, how many came on each day after the opening: the rush of
# the first evening, then a trickle.
DAYS = (45, 20, 10, 8, 6, 5, 4, 2)
PAID_EVERY = 3  # two invoices in three are paid, by card or at the counter
# Left with all its spots: the activity a person trying the demo registers a child to
# (README, tests/e2e/test_demo_try_out.py).
FOR_TRYING = "natation-etoile-de-mer"


def _residents() -> list[Dossier]:
    numbers = [str(FIRST_NUMBER + n) for n in range(RESIDENTS)]
    existing = set(Dossier.objects.filter(number__in=numbers).values_list("number", flat=True))
    Dossier.objects.bulk_create(
        Dossier(
            number=number,
            kind=DossierKind.PERSON,
            first_name=FIRST_NAMES[n % len(FIRST_NAMES)],
            last_name=LAST_NAMES[(n * 7) % len(LAST_NAMES)],
            is_resident=True,
            home_city=presets.active().short_name,
        )
        for n, number in enumerate(numbers)
        if number not in existing
    )
    return list(Dossier.objects.filter(number__in=numbers).order_by("number"))


def _day_after_opening(index: int, count: int) -> int:
    """Which day after the opening the ``index``-th of ``count`` registrations came."""
    share = 100 * index / max(count, 1)
    reached = 0
    for day, percent in enumerate(DAYS):
        reached += percent
        if share < reached:
            return day
    return len(DAYS) - 1


@transaction.atomic
def season_rosters(staff: Account) -> None:
    """Residents registered at the counter in this season's activities already open (but
    the one left for trying the demo): as many as there are spots left, then four more on
    the waiting list; an invoice for each spot taken, two in three paid. Loaded once: the
    residents' first registration marks it done."""
    residents = _residents()
    if Registration.objects.filter(participant__in=residents).exists():
        return
    billing_demo.older_balances(staff, residents[:12])
    now = timezone.now()
    activities = (
        Offering.objects.filter(kind=OfferingKind.ACTIVITY, registration_opens_at__lte=now)
        .exclude(slug=FOR_TRYING)
        .order_by("capacity", "slug")
    )
    start = 0
    for offering in activities:
        free = max(offering.capacity - offering.spots_taken, 0)
        wanted = min(offering.capacity + 4, len(residents))
        roster = [residents[(start + n) % len(residents)] for n in range(wanted)]
        start += wanted
        registrations = []
        for index, participant in enumerate(roster):
            day = _day_after_opening(index, len(roster))
            created_at = min(
                offering.registration_opens_at + timedelta(days=day, minutes=3 + 7 * index),
                now - timedelta(minutes=len(roster) - index),
            )
            confirmed = index < free
            registrations.append(
                Registration(
                    offering=offering,
                    participant=participant,
                    registered_by=staff,
                    right="staff",
                    status=RegistrationStatus.CONFIRMED
                    if confirmed and index % PAID_EVERY
                    else RegistrationStatus.PENDING_PAYMENT
                    if confirmed
                    else RegistrationStatus.WAITING,
                    price_category=PriceCategory.NON_MEMBER,
                    unit_price=offering.non_member_price,
                    created_at=created_at,
                    confirmed_at=created_at if confirmed and index % PAID_EVERY else None,
                )
            )
        Registration.objects.bulk_create(registrations)
        taken = sum(1 for r in registrations if r.status != RegistrationStatus.WAITING)
        Offering.objects.filter(pk=offering.pk).update(spots_taken=F("spots_taken") + taken)
        for index, registration in enumerate(registrations):
            if registration.status == RegistrationStatus.WAITING:
                continue
            invoice = issue_invoice(
                payer=Payer(registration.participant, None),
                lines=[
                    DraftLine(
                        f"{offering.title} — {registration.participant.display_name}",
                        registration.unit_price,
                        tax_exempt=offering.tax_exempt,
                    )
                ],
                actor=staff,
                source=registration,
                participant=registration.participant,
                description=offering.title,
                issued_at=registration.created_at,
            )
            if index % PAID_EVERY:
                record_payment(
                    invoice,
                    amount=invoice.total,
                    method=PaymentMethod.CARD if index % 2 else PaymentMethod.CHEQUE,
                    actor=staff,
                    received_on=timezone.localdate(registration.created_at),
                    provider_reference=f"demo_{uuid.uuid4().hex}" if index % 2 else None,
                )


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

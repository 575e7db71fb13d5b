"""At the counter or on the phone (Accueil): find the person, register them or a child
with the registrations app's own rules (``submit_cart``: eligibility, capacity, waiting
list — never a second copy), then take the payment in person through billing's offline
payment service, or leave it on the account."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from guichet.accounts.types import Actor
from guichet.audit.models import Right
from guichet.billing.models import Invoice, Payment, PaymentMethod
from guichet.billing.services import payments
from guichet.catalog.models import Offering
from guichet.dossiers.models import Dossier, DossierKind, DossierLink, LinkRole
from guichet.registrations.models import Registration
from guichet.registrations.services.register import ToRegister, confirm, submit_cart

# What a person pays with at the counter.
COUNTER_METHODS = (PaymentMethod.DEBIT, PaymentMethod.CASH, PaymentMethod.CHEQUE)
MAX_RESULTS = 20


def search(query: str) -> list[Dossier]:
    """Person files matching a file number, a phone number, an email address or the words
    of a name (each word in the first or the last name); at most ``MAX_RESULTS``."""
    query = query.strip()[:100]
    if len(query) < 2:
        return []
    people = Dossier.objects.filter(kind=DossierKind.PERSON)
    digits = re.sub(r"\D", "", query)
    if "@" in query:
        found = people.filter(email__iexact=query)
    elif digits and len(digits) == len(re.sub(r"[\s().+-]", "", query)):
        phone = _phone_pattern(digits)
        found = people.filter(
            Q(number=query)
            | Q(home_phone__regex=phone)
            | Q(mobile_phone__regex=phone)
            | Q(work_phone__regex=phone)
        )
    else:
        found = people
        for word in query.split()[:4]:
            found = found.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return list(found.order_by("last_name", "first_name", "number")[:MAX_RESULTS])


def _phone_pattern(digits: str) -> str:
    """A regular expression matching ``digits`` whatever separates them on file."""
    return r"\D*".join(re.escape(digit) for digit in digits[-10:])


def children_of(people: list[Dossier]) -> dict[int, list[Dossier]]:
    """For each person whose account is a guardian, the files of the children they act
    for (« their child »): two queries for the whole page."""
    holders = dict(
        DossierLink.objects.filter(
            dossier__in=people, role=LinkRole.HOLDER, ended_at=None
        ).values_list("account_id", "dossier_id")
    )
    found: dict[int, list[Dossier]] = {}
    for link in (
        DossierLink.objects.filter(account_id__in=holders, role=LinkRole.GUARDIAN, ended_at=None)
        .select_related("dossier")
        .order_by("dossier__first_name")
    ):
        found.setdefault(holders[link.account_id], []).append(link.dossier)
    return found


def open_offerings() -> QuerySet[Offering]:
    """Published offerings whose registration window is open now."""
    now = timezone.now()
    return Offering.objects.filter(
        published=True, registration_opens_at__lte=now, registration_closes_at__gt=now
    ).order_by("starts_on", "title")


def _staff_right(_actor: Any, _dossier: Dossier) -> Right:
    return Right.STAFF


@dataclass(frozen=True)
class Registered:
    outcome: str
    reason: str
    registration: Registration | None
    invoice: Invoice | None


@transaction.atomic
def register(
    offering: Offering,
    participant: Dossier,
    *,
    answers: dict[str, Any],
    actor: Actor,
    key: str,
) -> Registered:
    """Register ``participant`` as staff: the same cart, with the same rules, as online;
    a spot taken is confirmed at once (the person is in front of us), so something owed
    waits for payment with its invoice issued to whoever pays for the participant."""
    result = submit_cart(
        actor=actor,
        lines=[ToRegister(offering, participant, answers=answers)],
        idempotency_key=key,
        right_for=_staff_right,
        confirm_free=True,
    )
    line = result["lines"][0]
    registration = (
        Registration.objects.filter(pk=line["registration"]).first()
        if line["registration"]
        else None
    )
    invoice = None
    if registration is not None:
        registration = confirm(registration, actor=actor)
        invoice = Invoice.objects.for_source(registration).order_by("pk").first()
    return Registered(str(line["outcome"]), line["reason"], registration, invoice)


def take_payment(
    invoice: Invoice, *, amount: Decimal, method: str, reference: str, actor: Actor
) -> Payment:
    """Money received at the counter, through billing's offline payment service (which
    refuses more than the balance and confirms the registration once it is paid)."""
    return payments.record_receipt(
        invoice,
        amount=amount,
        method=method,
        received_on=timezone.localdate(),
        reference=reference,
        actor=actor,
    )

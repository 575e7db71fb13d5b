"""Relevé 24 (frais de garde d'enfants): what each payer paid for each child in a year,
the payer's social insurance number, and how separated guardians share the amounts.

The amounts are what was **actually paid in the calendar year**: the payments whose
``received_on`` (a Montreal date) falls in the year, minus the refunds given back in
the year, on invoices with childcare-eligible lines, for an eligible child. When an
invoice mixes eligible and other lines, each payment counts for the eligible share of
the invoice only, prorated on the running total of the invoice's payments, so the
shares of all its payments add up exactly to its eligible total (no cent lost or
counted twice, whatever the number of instalments). Who paid is ``Payment.payer_dossier``.

A child is eligible, as Revenu Québec and the Canada Revenue Agency put it, when they
were under 16 at some time in the year: born in ``year − 16`` or later. This includes
a child who turns 16 during the year (the issue said « under 16 at year end », which
would leave them out). A child without a birth date on file is left out.

Issuing the slips (the staff batch) lives in ``services/rl24_batch.py``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.types import Actor
from guichet.audit import services as audit
from guichet.audit.models import Action, Right
from guichet.billing import sin
from guichet.billing.models import (
    ChildcareSplit,
    Invoice,
    InvoiceLine,
    PayerTaxInfo,
    Payment,
)
from guichet.core import crypto
from guichet.core.money import ZERO, split, to_cents
from guichet.dossiers.models import Dossier, DossierLink, LinkRole

AGE_LIMIT = 16


# --- Who counts -------------------------------------------------------------------------


def is_eligible_child(birth_date: date | None, year: int) -> bool:
    """Under 16 at some time in ``year``: born in ``year − 16`` or later."""
    return birth_date is not None and birth_date.year >= year - AGE_LIMIT


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


# --- Amounts ----------------------------------------------------------------------------


def prorate(amounts: Iterable[Decimal], part: Decimal, whole: Decimal) -> list[Decimal]:
    """Each amount's share of ``part / whole``, to the cent, computed on the running total
    so that the shares always add up to the share of the sum (remainder-safe)."""
    shares: list[Decimal] = []
    if whole == ZERO:
        return [ZERO for _amount in amounts]
    running = ZERO
    before = ZERO
    for amount in amounts:
        running += amount
        after = to_cents(running * part / whole)
        shares.append(after - before)
        before = after
    return shares


@dataclass
class ChildAmount:
    """What goes on one payer's slip for one child: what they paid (their eligible
    share), minus what their split gives the other guardian, plus what they receive."""

    payer_id: int
    child_id: int
    paid: Decimal = ZERO
    given: Decimal = ZERO
    received: Decimal = ZERO

    @property
    def amount(self) -> Decimal:
        return self.paid - self.given + self.received


def paid_in_year(
    year: int, payer_ids: Iterable[int] | None = None
) -> dict[tuple[int, int], Decimal]:
    """``{(payer dossier id, child dossier id): eligible amount paid in the year}``."""
    first, last = year_bounds(year)
    in_year = Payment.objects.filter(
        received_on__range=(first, last),
        invoice__lines__childcare_eligible=True,
        invoice__participant__isnull=False,
    )
    if payer_ids is not None:
        in_year = in_year.filter(payer_dossier_id__in=list(payer_ids))
    invoice_ids = set(in_year.values_list("invoice_id", flat=True))
    if not invoice_ids:
        return {}
    invoices = {
        row["pk"]: row
        for row in Invoice.objects.filter(pk__in=invoice_ids).values(
            "pk", "total", "payer_dossier_id", "participant_id", "participant__birth_date"
        )
    }
    eligible = dict(
        InvoiceLine.objects.filter(invoice_id__in=invoice_ids, childcare_eligible=True)
        .values("invoice_id")
        .annotate(total=Sum("total"))
        .values_list("invoice_id", "total")
    )
    payments: dict[int, list[Any]] = defaultdict(list)
    for row in (
        Payment.objects.filter(invoice_id__in=invoice_ids)
        .order_by("invoice_id", "received_on", "recorded_at", "id")
        .values("invoice_id", "amount", "received_on", "payer_dossier_id")
    ):
        payments[row["invoice_id"]].append(row)

    totals: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    for invoice_id, rows in payments.items():
        invoice = invoices[invoice_id]
        if not is_eligible_child(invoice["participant__birth_date"], year):
            continue
        shares = prorate([row["amount"] for row in rows], eligible[invoice_id], invoice["total"])
        for row, share in zip(rows, shares, strict=True):
            if not first <= row["received_on"] <= last:
                continue
            payer_id = row["payer_dossier_id"]  # set by ledger.record_payment on every row
            if payer_id is None or (payer_ids is not None and payer_id not in payer_ids):
                continue
            totals[(payer_id, invoice["participant_id"])] += share
    return dict(totals)


def amounts_for_year(year: int, payer: Dossier | None = None) -> list[ChildAmount]:
    """Every payer's amount per child for ``year`` (or only ``payer``'s), splits applied."""
    query = ChildcareSplit.objects.filter(year=year)
    if payer is not None:
        query = query.filter(Q(payer=payer) | Q(other_payer=payer))
    splits = list(query)
    payer_ids = None if payer is None else {payer.pk} | {s.payer_id for s in splits}
    paid = paid_in_year(year, payer_ids)
    rows: dict[tuple[int, int], ChildAmount] = {
        key: ChildAmount(payer_id=key[0], child_id=key[1], paid=amount)
        for key, amount in paid.items()
    }
    for share_rule in splits:
        base = paid.get((share_rule.payer_id, share_rule.child_id), ZERO)
        if base <= ZERO:
            continue
        moved, _kept = split(base, share_rule.percent)
        giver = rows[(share_rule.payer_id, share_rule.child_id)]
        giver.given += moved
        key = (share_rule.other_payer_id, share_rule.child_id)
        rows.setdefault(key, ChildAmount(payer_id=key[0], child_id=key[1])).received += moved
    result = [row for row in rows.values() if payer is None or row.payer_id == payer.pk]
    return sorted(result, key=lambda row: (row.payer_id, row.child_id))


# --- The payer's social insurance number -------------------------------------------------


@transaction.atomic
def record_sin(
    dossier: Dossier, raw: str, *, actor: Actor, request: HttpRequest | None = None
) -> PayerTaxInfo:
    """Check, encrypt and keep the payer's NAS. Only its last three digits stay in clear;
    the audit trail records that it changed, never the number."""
    digits = sin.clean_sin(raw)
    info, _created = PayerTaxInfo.objects.update_or_create(
        dossier=dossier,
        defaults={
            "sin_encrypted": crypto.encrypt(digits),
            "sin_last3": digits[-3:],
            "updated_at": timezone.now(),
        },
    )
    audit.record(
        Action.TAX_INFO_CHANGED,
        actor=actor,
        subject=actor,
        dossier=dossier,
        right=Right.SELF,
        request=request,
    )
    return info


def sin_of(dossier: Dossier) -> str | None:
    """The payer's NAS in clear (for a future transmission to Revenu Québec), or None."""
    info = PayerTaxInfo.objects.filter(dossier=dossier).first()
    return crypto.decrypt(info.sin_encrypted) if info else None


# --- Separated guardians share a child's amounts ------------------------------------------


def guardian_payers(child: Dossier) -> QuerySet[Dossier]:
    """The dossiers held by the accounts that are the child's guardians today."""
    guardians = DossierLink.objects.active().filter(dossier=child, role=LinkRole.GUARDIAN)
    return Dossier.objects.filter(
        links__account__in=guardians.values("account"),
        links__role=LinkRole.HOLDER,
        links__ended_at__isnull=True,
    ).distinct()


def guardian_payers_of(child_ids: Iterable[int]) -> dict[int, list[Dossier]]:
    """``guardian_payers`` for several children at once (two queries)."""
    links = DossierLink.objects.active().filter(
        dossier_id__in=list(child_ids), role=LinkRole.GUARDIAN
    )
    by_account: dict[int, list[int]] = defaultdict(list)
    for account_id, child_id in links.values_list("account_id", "dossier_id"):
        by_account[account_id].append(child_id)
    held = DossierLink.objects.active().filter(
        account_id__in=list(by_account), role=LinkRole.HOLDER
    )
    result: dict[int, list[Dossier]] = defaultdict(list)
    for link in held.select_related("dossier").order_by("dossier__first_name", "dossier_id"):
        for child_id in by_account[link.account_id]:
            result[child_id].append(link.dossier)
    return result


def short_name(dossier: Dossier) -> str:
    """« Marie T. »: how a guardian is named to the other one, nothing more."""
    initial = f" {dossier.last_name[:1]}." if dossier.last_name else ""
    return f"{dossier.first_name}{initial}".strip()


class SplitRefused(Exception):
    """The split cannot be recorded; the message is shown to the person."""


@transaction.atomic
def set_split(
    *,
    child: Dossier,
    year: int,
    payer: Dossier,
    other_payer: Dossier,
    percent: Decimal,
    actor: Actor,
    request: HttpRequest | None = None,
) -> ChildcareSplit:
    """``payer`` gives ``percent`` of what it paid for ``child`` in ``year`` to
    ``other_payer``'s slip. Both must be the child's guardians today."""
    percent = to_cents(percent)
    if not ZERO <= percent <= Decimal(100):
        raise SplitRefused(_("The share is a percentage between 0 and 100."))
    guardians = set(guardian_payers(child).values_list("pk", flat=True))
    if payer.pk == other_payer.pk or not {payer.pk, other_payer.pk} <= guardians:
        raise SplitRefused(_("Choose another guardian of this child."))
    share_rule, _created = ChildcareSplit.objects.update_or_create(
        child=child,
        year=year,
        payer=payer,
        defaults={
            "other_payer": other_payer,
            "percent": percent,
            "created_by": actor if getattr(actor, "pk", None) else None,
            "created_at": timezone.now(),
        },
    )
    audit.record(
        Action.CHILDCARE_SPLIT,
        actor=actor,
        subject=actor,
        dossier=payer,
        right=Right.SELF,
        request=request,
        data={
            "child": child.pk,
            "year": year,
            "other_payer": other_payer.pk,
            "percent": str(percent),
        },
    )
    return share_rule

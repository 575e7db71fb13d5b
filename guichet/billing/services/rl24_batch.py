"""Issuing a year's Relevé 24 slips, as a batch that staff start and follow.

``start_batch`` queues the run once, even on a double click (the year's RL-24 number
sequence row is locked while it looks for a batch already waiting or running).
``run_batch`` (called by the task ``run_tax_slip_batch``, below) goes through
every payer and child with an amount, one transaction each, and saves its progress:

- no slip yet and an amount: an original slip (code ``R``), numbered « RL24-2026-00001 »;
- a payer without a NAS on file gets no slip: the batch reports « NAS manquant »;
- the same amount as the current slip: left alone, so a re-run changes nothing;
- another amount: an amended slip (``A``) replaces the current one (kept, ``current``
  false), and carries the number of the slip it amends;
- the amount fell to zero: a cancellation slip (``D``) replaces it.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from decimal import Decimal
from typing import Any

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from guichet import presets
from guichet.accounts.types import Actor
from guichet.audit import services as audit
from guichet.audit.models import Action, Right
from guichet.billing.models import (
    BatchStatus,
    DocumentKind,
    NumberSequence,
    PayerTaxInfo,
    SlipStatus,
    TaxSlipBatch,
    TaxSlipRL24,
)
from guichet.billing.numbering import next_number
from guichet.billing.services.invoicing import postal_address
from guichet.billing.services.rl24 import amounts_for_year
from guichet.core.money import ZERO
from guichet.dossiers.models import Dossier, DossierLink, LinkRole

logger = logging.getLogger(__name__)

ISSUED, AMENDED, CANCELLED, UNCHANGED, MISSING_SIN = (
    "issued",
    "amended",
    "cancelled",
    "unchanged",
    "missing_sin",
)


STALE_AFTER = timedelta(hours=1)
PROGRESS_EVERY = 25  # slips between two progress writes


@transaction.atomic
def start_batch(year: int, *, actor: Actor) -> TaxSlipBatch:
    """Queue the year's batch; a batch of that year already waiting or running is
    returned instead of starting a second one."""
    NumberSequence.objects.bulk_create(
        [NumberSequence(kind=DocumentKind.RL24, year=year)], ignore_conflicts=True
    )
    NumberSequence.objects.select_for_update().get(kind=DocumentKind.RL24, year=year)
    # A batch older than STALE_AFTER was left by a worker that died: it no longer blocks.
    running = TaxSlipBatch.objects.filter(
        year=year,
        status__in=(BatchStatus.PENDING, BatchStatus.RUNNING),
        created_at__gt=timezone.now() - STALE_AFTER,
    ).first()
    if running is not None:
        return running
    batch = TaxSlipBatch.objects.create(year=year, created_by=actor)
    language = translation.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(lambda: run_tax_slip_batch.delay(batch.pk, language))
    return batch


def run_batch(batch: TaxSlipBatch) -> dict[str, Any]:
    """Issue, amend or cancel the year's slips; returns the report also saved on the batch."""
    year = batch.year
    TaxSlipBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.RUNNING)
    amounts = {(row.payer_id, row.child_id): row.amount for row in amounts_for_year(year)}
    current = {
        (slip.payer_id, slip.child_id): slip
        for slip in TaxSlipRL24.objects.filter(year=year, current=True).exclude(
            status=SlipStatus.CANCELLED
        )
    }
    keys = sorted({key for key, amount in amounts.items() if amount > ZERO} | set(current))
    dossiers = Dossier.objects.in_bulk({pk for pair in keys for pk in pair})
    with_sin = set(
        PayerTaxInfo.objects.filter(dossier_id__in={payer for payer, _child in keys}).values_list(
            "dossier_id", flat=True
        )
    )
    TaxSlipBatch.objects.filter(pk=batch.pk).update(total=len(keys), done=0)
    report: dict[str, Any] = {
        ISSUED: 0,
        AMENDED: 0,
        CANCELLED: 0,
        UNCHANGED: 0,
        MISSING_SIN: [],
    }
    for done, (payer_id, child_id) in enumerate(keys, start=1):
        payer, child = dossiers[payer_id], dossiers[child_id]
        outcome = issue_slip(
            year=year,
            payer=payer,
            child=child,
            amount=amounts.get((payer_id, child_id), ZERO),
            has_sin=payer_id in with_sin,
            batch=batch,
        )
        if outcome == MISSING_SIN:
            report[MISSING_SIN].append(
                {
                    "payer": payer.pk,
                    "payer_name": payer.display_name,
                    "payer_number": payer.number,
                    "child_name": child.display_name,
                    "amount": str(amounts[(payer_id, child_id)]),
                }
            )
        else:
            report[outcome] += 1
        if done % PROGRESS_EVERY == 0:  # the progress bar, without a write per slip
            TaxSlipBatch.objects.filter(pk=batch.pk).update(done=done)
    TaxSlipBatch.objects.filter(pk=batch.pk).update(
        done=len(keys), status=BatchStatus.DONE, finished_at=timezone.now(), report=report
    )
    audit.record(
        Action.TAX_SLIPS_ISSUED,
        actor=batch.created_by,
        right=Right.STAFF,
        data={
            "batch": batch.pk,
            "year": year,
            **{key: report[key] for key in (ISSUED, AMENDED, CANCELLED, UNCHANGED)},
            "missing_sin": len(report[MISSING_SIN]),
        },
    )
    return report


@transaction.atomic
def issue_slip(
    *,
    year: int,
    payer: Dossier,
    child: Dossier,
    amount: Decimal,
    has_sin: bool,
    batch: TaxSlipBatch | None = None,
) -> str:
    """Bring the payer's slip for the child in line with ``amount``; returns the outcome."""
    existing = (
        TaxSlipRL24.objects.select_for_update()
        .filter(year=year, payer=payer, child=child, current=True)
        .first()
    )
    live = existing is not None and existing.status != SlipStatus.CANCELLED
    if amount <= ZERO:
        if not live:
            return UNCHANGED
        status = SlipStatus.CANCELLED
    else:
        if not has_sin:
            return MISSING_SIN
        if live and existing is not None and existing.amount_paid == amount:
            return UNCHANGED
        status = SlipStatus.AMENDED if live else SlipStatus.ORIGINAL
    tax_info = PayerTaxInfo.objects.filter(dossier=payer).first()
    last3 = tax_info.sin_last3 if tax_info else (existing.payer_sin_last3 if existing else "")
    if existing is not None:
        existing.current = False
        existing.save(update_fields=["current"])
    number = next_number(DocumentKind.RL24, year)
    amended = existing if live else None
    if status == SlipStatus.CANCELLED:
        # A cancellation repeats the slip it cancels, with code D.
        assert existing is not None  # only a live slip is cancelled
        boxes = dict(existing.data)
        boxes.update(code=SlipStatus.CANCELLED, number=number, replaces_number=existing.number)
    else:
        boxes = slip_boxes(
            year=year,
            payer=payer,
            child=child,
            amount=amount,
            sin_last3=last3,
            code=status,
            number=number,
            replaces_number=amended.number if amended else "",
        )
    TaxSlipRL24.objects.create(
        batch=batch,
        year=year,
        number=number,
        status=status,
        replaces=amended,
        current=True,
        payer=payer,
        child=child,
        data=boxes,
        amount_paid=ZERO if status == SlipStatus.CANCELLED else amount,
        payer_sin_last3=last3,
    )
    return {
        SlipStatus.ORIGINAL: ISSUED,
        SlipStatus.AMENDED: AMENDED,
        SlipStatus.CANCELLED: CANCELLED,
    }[status]


def slip_boxes(
    *,
    year: int,
    payer: Dossier,
    child: Dossier,
    amount: Decimal,
    sin_last3: str,
    code: str,
    number: str,
    replaces_number: str = "",
) -> dict[str, Any]:
    """What the slip shows, box by box (see docs/releve24.md for the layout followed).

    Guichet's activities are not subsidized reduced-contribution childcare and every
    amount counted is eligible: box D (not eligible) and box H (reduced contribution)
    are zero and box E equals box C. The days of care (box B) are not known."""
    billing = presets.active().billing
    amount_text = str(amount)
    return {
        "year": year,
        "code": str(code),
        "number": number,
        "replaces_number": replaces_number,
        "B": None,
        "C": amount_text,
        "D": str(ZERO),
        "E": amount_text,
        "H": str(ZERO),
        "recipient": {
            "name": payer.display_name,
            "last_name": payer.last_name,
            "first_name": payer.first_name,
            "address": postal_address(payer),
            "sin_last3": sin_last3,
        },
        "child": {
            "last_name": child.last_name,
            "first_name": child.first_name,
            "birth_date": child.birth_date.isoformat() if child.birth_date else "",
        },
        "issuer": {
            "name": billing.legal_name if billing else presets.active().operator_name,
            "address": billing.address if billing else "",
            "number": billing.rl24_issuer_number if billing else "",
        },
    }


def payer_language(payer: Dossier) -> str:
    """The language of the account holding the payer's dossier, else the dossier's."""
    link = (
        DossierLink.objects.active()
        .filter(dossier=payer, role=LinkRole.HOLDER)
        .select_related("account")
        .first()
    )
    language = getattr(link.account, "language", "") if link else ""
    return language or payer.language or settings.LANGUAGE_CODE


# Acknowledged on receipt: a long batch must not be delivered twice to two workers. Named
# as when it lived in ``billing/tasks.py`` (which still imports it for Celery to find).
@shared_task(name="guichet.billing.tasks.run_tax_slip_batch", acks_late=False)
def run_tax_slip_batch(batch_id: int, language: str = "fr") -> None:
    """Run a Relevé 24 batch; a crash marks it failed so the progress page stops waiting."""
    batch = TaxSlipBatch.objects.select_related("created_by").get(pk=batch_id)
    try:
        with translation.override(language):
            run_batch(batch)
    except Exception as error:
        logger.exception("Relevé 24 batch %s failed", batch_id)
        TaxSlipBatch.objects.filter(pk=batch_id).update(
            status=BatchStatus.FAILED, finished_at=timezone.now(), error=type(error).__name__
        )
        raise

"""Issuing invoices and credit notes.

``issue_invoice(payer=…, lines=…, source=…)`` bills lines to a payer for a source (a
registration, a membership…); the domain decides who pays and what the lines are, billing
taxes them one by one (``taxes.tax_line``), numbers the invoice and keeps it as issued.
An issued invoice is never edited: ``credit_invoice`` issues a credit note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.functional import Promise

from guichet import presets
from guichet.accounts.types import Actor
from guichet.audit import services as audit
from guichet.audit.models import Action, Right
from guichet.billing import signals, taxes
from guichet.billing.models import (
    CreditNote,
    CreditNoteLine,
    DocumentKind,
    Invoice,
    InvoiceLine,
)
from guichet.billing.numbering import next_number
from guichet.core.mail import send_templated
from guichet.core.money import ZERO, to_cents
from guichet.dossiers.models import Dossier


@dataclass(frozen=True)
class Payer:
    """To whom an invoice is addressed (the domain decides: ``registrations.payer_for``)."""

    dossier: Dossier | None
    account: Any  # the account that sees the invoice and receives its emails


@dataclass(frozen=True)
class DraftLine:
    description: str
    unit_price: Decimal
    quantity: int = 1
    tax_exempt: bool = False
    card_only: bool = False
    childcare_eligible: bool = False
    # What the source says the line bills (« option:42 »), kept on the line for the
    # source's own later credits; billing never reads it.
    reference: str = ""


def postal_address(dossier: Dossier | None) -> str:
    if dossier is None:
        return ""
    if dossier.main_address == "work" and dossier.work_street:
        parts = [dossier.work_employer, dossier.work_street]
        city, province, postal = dossier.work_city, dossier.work_province, dossier.work_postal_code
    else:
        parts = [dossier.home_street]
        city, province, postal = dossier.home_city, dossier.home_province, dossier.home_postal_code
    locality = f"{city} ({province})" if city and province else city
    parts.append(f"{locality}  {postal}".strip())
    return "\n".join(p for p in parts if p)


@transaction.atomic
def issue_invoice(
    *,
    payer: Payer,
    lines: list[DraftLine],
    actor: Actor,
    source: models.Model | None = None,
    caused_by: Any = None,
    participant: Dossier | None = None,
    description: str = "",
    due_at: datetime | None = None,
    issued_at: datetime | None = None,
) -> Invoice:
    """Number, tax and write one invoice for ``source``; email the payer that it is ready.

    ``caused_by``: the account that caused it (a delegate sees the invoices it caused;
    ``actor`` by default). ``due_at``: when it is announced overdue if still unpaid
    (``signals.invoice_overdue``). ``issued_at`` is for invoices carried over from the
    operator's former system (and the demo's history); it numbers the invoice in that
    year's sequence."""
    if not lines:
        raise ValueError("An invoice has at least one line")
    now = issued_at or timezone.now()
    year = timezone.localdate(now).year
    taxed = [taxes.tax_line(ln.quantity, ln.unit_price, exempt=ln.tax_exempt) for ln in lines]
    totals = taxes.add_up(taxed)
    billing = presets.active().billing
    account = payer.account
    dossier = payer.dossier
    invoice = Invoice.objects.create(
        number=next_number(DocumentKind.INVOICE, year),
        year=year,
        issued_at=now,
        due_at=due_at,
        language=(getattr(account, "language", "") or settings.LANGUAGE_CODE)[:8],
        payer_dossier=dossier,
        payer_account=account,
        caused_by=caused_by or actor,
        payer_name=(dossier.display_name if dossier else account.get_full_name()) or "",
        payer_address=postal_address(dossier),
        payer_email=getattr(account, "email", "") or (dossier.email if dossier else ""),
        source_type=ContentType.objects.get_for_model(source) if source is not None else None,
        source_id=source.pk if source is not None else None,
        participant=participant,
        description=description[:255],
        subtotal=totals.amount,
        gst=totals.gst,
        qst=totals.qst,
        total=totals.total,
        gst_number=billing.gst_number if billing else "",
        qst_number=billing.qst_number if billing else "",
        card_only=any(line.card_only for line in lines),
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice,
            position=position,
            description=line.description[:255],
            quantity=line.quantity,
            unit_price=line.unit_price,
            amount=amounts.amount,
            tax_exempt=line.tax_exempt,
            gst=amounts.gst,
            qst=amounts.qst,
            total=amounts.total,
            card_only=line.card_only,
            childcare_eligible=line.childcare_eligible,
            reference=line.reference[:64],
        )
        for position, (line, amounts) in enumerate(zip(lines, taxed, strict=True))
    )
    audit.record(
        Action.INVOICE_ISSUED,
        actor=actor,
        subject=account,
        dossier=dossier,
        right=Right.SYSTEM,
        data={"invoice": invoice.pk, "number": invoice.number, "total": str(invoice.total)},
    )
    notify_payer(invoice, "billing/email/invoice_issued")
    signals.announce(signals.invoice_issued, invoice=invoice)
    return invoice


def uncredited(invoice: Invoice) -> Decimal:
    """Before-tax amount of the invoice not credited yet."""
    credited = invoice.credit_notes.aggregate(amount=Sum("subtotal"))["amount"] or ZERO
    return invoice.subtotal - credited


def credited_by_line(invoice: Invoice) -> dict[int, dict[str, Any]]:
    """Before-tax amount (and taxes) already credited on each line of the invoice."""
    rows = (
        CreditNoteLine.objects.filter(credit_note__invoice=invoice, invoice_line__isnull=False)
        .values("invoice_line")
        .annotate(amount=Sum("amount"), gst=Sum("gst"), qst=Sum("qst"))
    )
    return {row["invoice_line"]: row for row in rows}


def reason_in_both_languages(reason: str | Promise) -> dict[str, str]:
    """A credit note's reason in French and English when given as a translatable text
    (``gettext_lazy``); a plain text is kept as given, in the French column."""
    if not isinstance(reason, Promise):
        return {"reason": reason[:255], "reason_fr": reason[:255]}
    texts = {}
    for language in ("fr", "en"):
        with translation.override(language):
            texts[f"reason_{language}"] = str(reason)[:255]
    return {"reason": texts["reason_fr"], **texts}


@transaction.atomic
def credit_invoice(
    invoice: Invoice,
    *,
    actor: Actor | None,
    reason: str | Promise,
    keep: Decimal = ZERO,
    only: dict[int, Decimal] | None = None,
) -> CreditNote | None:
    """Credit what is left of the invoice, except ``keep`` (a cancellation fee, before
    taxes, kept from the first lines); with ``only`` (``{line id: amount before taxes}``),
    credit just those amounts (an option removed). Returns ``None`` when nothing is left
    to credit.

    A line credited in full gives back exactly the taxes it charged, so a full credit
    note nets the invoice to zero to the cent."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    done = credited_by_line(invoice)
    keep = to_cents(keep)
    drafts: list[tuple[InvoiceLine, taxes.TaxedAmount]] = []
    for line in invoice.lines.order_by("position", "id"):
        already = done.get(line.pk, {"amount": ZERO, "gst": ZERO, "qst": ZERO})
        left = line.amount - (already["amount"] or ZERO)
        if only is not None:
            credit = min(to_cents(only.get(line.pk, ZERO)), left)
        else:
            kept = min(keep, left)
            keep -= kept
            credit = left - kept
        if credit <= ZERO:
            continue
        if credit == left:
            # The rest of the line: exactly the taxes not yet credited.
            amounts = taxes.TaxedAmount(
                credit, line.gst - (already["gst"] or ZERO), line.qst - (already["qst"] or ZERO)
            )
        else:
            amounts = taxes.tax_line(1, credit, exempt=line.tax_exempt)
        drafts.append((line, amounts))
    if not drafts:
        return None
    totals = taxes.add_up([amounts for _line, amounts in drafts])
    now = timezone.now()
    year = timezone.localdate(now).year
    note = CreditNote.objects.create(
        number=next_number(DocumentKind.CREDIT_NOTE, year),
        year=year,
        invoice=invoice,
        issued_at=now,
        issued_by=actor if getattr(actor, "pk", None) else None,
        **reason_in_both_languages(reason),
        subtotal=totals.amount,
        gst=totals.gst,
        qst=totals.qst,
        total=totals.total,
    )
    CreditNoteLine.objects.bulk_create(
        CreditNoteLine(
            credit_note=note,
            invoice_line=line,
            description=line.description,
            amount=amounts.amount,
            gst=amounts.gst,
            qst=amounts.qst,
            total=amounts.total,
        )
        for line, amounts in drafts
    )
    invoice.amount_credited += note.total
    if invoice.amount_credited == invoice.total:
        invoice.due_at = None  # nothing left to pay: nothing left to expire
    invoice.save(update_fields=["amount_credited", "due_at"])
    audit.record(
        Action.CREDIT_NOTE_ISSUED,
        actor=actor,  # audit.record keeps only a saved account
        subject=invoice.payer_account,
        dossier=invoice.payer_dossier,
        right=Right.STAFF if getattr(actor, "is_staff", False) else Right.SYSTEM,
        data={"invoice": invoice.pk, "credit_note": note.pk, "total": str(note.total)},
    )
    notify_payer(invoice, "billing/email/credit_note_issued", credit_note=note)
    signals.announce(signals.invoice_credited, invoice=invoice, credit_note=note)
    return note


def notify_payer(invoice: Invoice, template: str, **context: Any) -> None:
    """Email the payer, in the invoice's language."""
    if not invoice.payer_email:
        return
    send_templated(
        template,
        to=invoice.payer_email,
        context={
            "invoice": invoice,
            "site_url": getattr(settings, "GUICHET_SITE_URL", ""),
            **context,
        },
        language=invoice.language,
    )

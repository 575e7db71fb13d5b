"""What registrations ask of the ledger, and what they do with its answers.

Billing knows payers, invoices and payments, not registrations. Registrations decide:

- **who pays** a registration (``payer_for``), from the right under which it was made;
- **what lines** it makes (``registration_lines``): the offering, then each option, a named
  companion on a line of its own; lines paid by card only (UMQ's gala companions) on an
  invoice of their own (``invoice_lines``), so the fee may still be paid by cheque;
- **what a settled invoice does** (``confirm_if_settled``: once every invoice of a
  registration waiting for payment is settled, it is confirmed);
- **what an overdue one does** (``expire_overdue``: the registration expires, its spot and
  options are given back, its invoices are credited; ``waitlist.expire_unpaid`` then moves
  the waiting list);
- **the refund policy** of a cancellation (``amount_kept``, ``settle_cancellation``) and
  **option changes** (``reinvoice_options``: credit what was removed, bill what was added).

The last three are called by ``receivers`` (billing's signals) and by ``changes``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet import presets
from guichet.accounts.types import Actor
from guichet.audit import services as audit
from guichet.audit.models import Action, Right
from guichet.billing.models import Invoice, InvoiceLine
from guichet.billing.services.invoicing import (
    DraftLine,
    Payer,
    credit_invoice,
    credited_by_line,
    issue_invoice,
    uncredited,
)
from guichet.billing.services.settlement import refund_surplus
from guichet.catalog.models import Offering, RefundPolicy
from guichet.core.money import ZERO, to_cents
from guichet.dossiers import permissions
from guichet.presets import Feature
from guichet.registrations.models import Registration, RegistrationOption, RegistrationStatus
from guichet.registrations.services import capacity
from guichet.registrations.services.confirmation import mark_paid

if TYPE_CHECKING:
    from guichet.accounts.models import Account

# How a line names the option it bills (``InvoiceLine.reference``), to credit it later.
OPTION_REFERENCE = "option:%d"


def billing_applies() -> bool:
    return presets.active().has(Feature.BILLING)


def unpaid_delay() -> timedelta:
    return timedelta(hours=settings.GUICHET_UNPAID_EXPIRY_HOURS)


# --- Who pays, and for what -----------------------------------------------------------


def payer_for(registration: Registration) -> Payer:
    """Who pays a registration, from the right under which it was made."""
    actor = registration.registered_by
    if registration.right == Right.DELEGATE:
        delegation = permissions.active_delegation(actor)
        if delegation and delegation.organization_id:
            return Payer(delegation.organization, actor)
        return Payer(permissions.held_dossier(actor) or registration.participant, actor)
    if registration.right == Right.GUARDIAN:
        return Payer(permissions.held_dossier(actor) or registration.participant, actor)
    if registration.right == Right.SELF:
        return Payer(registration.participant, actor)
    # Registered by staff: the participant pays, through the account that holds the file.
    holder = permissions.holder_of(registration.participant)
    return Payer(registration.participant, holder or actor)


def registration_lines(registration: Registration) -> list[DraftLine]:
    """The offering, then each option (a named companion on a line of its own)."""
    offering = registration.offering
    first = DraftLine(
        description=_("%(offering)s — %(participant)s")
        % {"offering": offering.title, "participant": registration.participant.display_name},
        unit_price=registration.unit_price,
        tax_exempt=offering.tax_exempt,
        childcare_eligible=offering.childcare_eligible,
    )
    options = registration.option_lines.select_related("option").order_by("id")
    return [first, *(option_draft(option_line, offering) for option_line in options)]


def option_draft(
    option_line: RegistrationOption, offering: Offering, quantity: int | None = None
) -> DraftLine:
    """The invoice line of a chosen option (a named companion says whom it is for)."""
    option = option_line.option
    description = option.name
    if option_line.companion_name:
        description = _("%(option)s: %(name)s") % {
            "option": option.name,
            "name": option_line.companion_name,
        }
    return DraftLine(
        description=description,
        unit_price=option_line.unit_price,
        quantity=option_line.quantity if quantity is None else quantity,
        tax_exempt=offering.tax_exempt,
        card_only=option.card_only,
        childcare_eligible=offering.childcare_eligible,
        reference=OPTION_REFERENCE % option.pk,
    )


def option_of(line: InvoiceLine | DraftLine) -> int | None:
    """The option an invoice line bills (``None``: the fee, or a line of another kind)."""
    kind, _sep, pk = line.reference.partition(":")
    return int(pk) if kind == "option" and pk.isdigit() else None


@transaction.atomic
def invoice_registration(registration: Registration, *, actor: Actor) -> list[Invoice]:
    """The invoices of a registration (issued once: a second call returns the first ones)."""
    existing = list(Invoice.objects.for_source(registration).order_by("id"))
    if existing:
        return existing
    with translation.override(settings.LANGUAGE_CODE):
        lines = registration_lines(registration)
    return invoice_lines(
        registration,
        lines,
        payer=payer_for(registration),
        actor=actor,
        description=registration.offering.title,
        due_at=timezone.now() + unpaid_delay(),
    )


def invoice_lines(
    registration: Registration,
    lines: list[DraftLine],
    *,
    payer: Payer,
    actor: Actor,
    description: str,
    due_at: datetime | None,
) -> list[Invoice]:
    """Bill lines of a registration: those paid by card only (gala companions) on an
    invoice of their own, the others (the participant's fee) on one that may be paid any
    way. A free fee is not billed beside its companions."""
    anyway = [line for line in lines if not line.card_only]
    by_card = [line for line in lines if line.card_only]
    common: dict[str, Any] = {
        "payer": payer,
        "actor": actor,
        "source": registration,
        "caused_by": registration.registered_by,
        "participant": registration.participant,
        "due_at": due_at,
    }
    invoices = []
    if anyway and (not by_card or any(line.unit_price for line in anyway)):
        invoices.append(issue_invoice(lines=anyway, description=description, **common))
    if by_card:
        options = registration.offering.options.in_bulk()
        names = ", ".join(
            dict.fromkeys(
                options[pk].name if (pk := option_of(line)) in options else line.description
                for line in by_card
            )
        )
        with translation.override(settings.LANGUAGE_CODE):
            card_description = _("%(title)s — %(options)s") % {
                "title": registration.offering.title,
                "options": names,
            }
        invoices.append(issue_invoice(lines=by_card, description=card_description, **common))
    return invoices


# --- What a settled or overdue invoice does ----------------------------------------------


def confirm_if_settled(registration: Registration, *, actor: Actor | None) -> None:
    """Every invoice of a registration waiting for payment is settled: confirm it."""
    if registration.status != RegistrationStatus.PENDING_PAYMENT:
        return
    invoices = Invoice.objects.for_source(registration)
    if all(invoice.balance <= ZERO for invoice in invoices):
        mark_paid(registration, actor=actor)


def expire_overdue(invoice: Invoice, *, now: datetime) -> Registration | None:
    """An invoice of a registration waiting for payment stayed unpaid past its due time:
    the registration expires, gives back its spot and options, and its invoices are
    credited in full. Returns it, or ``None`` when there is nothing to do — it was paid or
    cancelled meanwhile, or it is being changed right now (``SKIP LOCKED``: its invoice
    stays overdue and is announced again at the next sweep)."""
    registration = (
        Registration.objects.select_for_update(skip_locked=True)
        .filter(pk=invoice.source_id, status=RegistrationStatus.PENDING_PAYMENT)  # type: ignore[misc]  # a source is set
        .select_related("offering", "participant")
        .first()
    )
    if registration is None:
        return None
    capacity.release(registration)
    registration.status = RegistrationStatus.EXPIRED
    registration.save(update_fields=["status"])
    audit.record(
        Action.REGISTRATION_EXPIRED,
        dossier=registration.participant,
        right=Right.SYSTEM,
        data={"registration": registration.pk, "invoice": invoice.pk},
    )
    settle_cancellation(registration, actor=None, expired=True)
    return registration


# --- Cancelling, and changing options ----------------------------------------------------


def amount_kept(invoice: Invoice, offering: Offering, fee_left: Decimal) -> Decimal | None:
    """Before-tax amount the operator keeps on this invoice; ``None``: credit nothing.

    The offering's refund policy decides: everything is credited (``full``), everything
    but the cancellation fee (``fee``), or nothing once money was paid (``none``; an unpaid
    invoice is still credited in full, so cancelling never leaves a debt)."""
    if offering.refund_policy == RefundPolicy.NONE:
        return None if invoice.amount_paid > ZERO else ZERO
    if offering.refund_policy == RefundPolicy.FEE:
        return min(fee_left, uncredited(invoice))
    return ZERO


@transaction.atomic
def settle_cancellation(
    registration: Registration, *, actor: Actor | None, expired: bool = False
) -> None:
    """Credit each open invoice of the registration, then refund any surplus. The
    cancellation fee is kept once, from the first invoices (the participant's fee before
    its gala companions)."""
    fee_left = to_cents(registration.offering.cancellation_fee or ZERO)
    for invoice in Invoice.objects.for_source(registration).select_for_update().order_by("id"):
        if expired:
            reason = gettext_lazy("Registration expired unpaid")
            keep: Decimal | None = ZERO
        else:
            reason = gettext_lazy("Registration cancelled")
            keep = amount_kept(invoice, registration.offering, fee_left)
        if keep is not None:
            credit_invoice(invoice, actor=actor, reason=reason, keep=keep)
            fee_left -= keep
        refund_surplus(invoice, actor=actor)


@transaction.atomic
def reinvoice_options(registration: Registration, *, actor: Actor) -> None:
    """Options changed on an invoiced registration. An issued invoice is never edited: what
    was removed is credited on the invoice that billed it (newest lines first), what was
    added is billed on a supplementary invoice to the same payer (card-only options on one
    of their own), and money paid beyond what is now owed is refunded. Free options change
    nothing on the invoices."""
    invoices = list(Invoice.objects.for_source(registration).select_for_update())
    if not invoices:
        return
    credited: dict[int, Decimal] = {}
    for invoice in invoices:
        credited.update(
            {pk: row["amount"] or ZERO for pk, row in credited_by_line(invoice).items()}
        )
    billed_lines: dict[int, list[tuple[InvoiceLine, int]]] = defaultdict(list)
    for line in (
        InvoiceLine.objects.filter(invoice__in=invoices, unit_price__gt=0)
        .exclude(reference="")
        .select_related("invoice")
        .order_by("-invoice_id", "-position", "-id")
    ):
        option_id = option_of(line)
        units = int((line.amount - credited.get(line.pk, ZERO)) / line.unit_price)
        if option_id is not None and units > 0:
            billed_lines[option_id].append((line, units))
    wanted: dict[int, list[RegistrationOption]] = defaultdict(list)
    for option_line in registration.option_lines.select_related("option").order_by("id"):
        if option_line.unit_price > 0:
            wanted[option_line.option_id].append(option_line)

    to_credit: dict[int, dict[int, Decimal]] = defaultdict(dict)  # invoice → {line: amount}
    extra: list[DraftLine] = []
    offering = registration.offering
    for option_id in sorted(set(billed_lines) | set(wanted)):
        billed = sum(units for _line, units in billed_lines[option_id])
        chosen = wanted[option_id]
        quantity = sum(line.quantity for line in chosen)
        if quantity < billed:
            need = billed - quantity
            for line, units in billed_lines[option_id]:
                take = min(units, need)
                to_credit[line.invoice_id][line.pk] = line.unit_price * take
                need -= take
                if need == 0:
                    break
        elif quantity > billed:
            _add_lines(extra, chosen, quantity - billed, offering)
    by_id = {invoice.pk: invoice for invoice in invoices}
    for invoice_id, amounts in to_credit.items():
        credit_invoice(
            by_id[invoice_id], actor=actor, reason=gettext_lazy("Option removed"), only=amounts
        )
    if extra:
        first = invoices[0]
        invoice_lines(
            registration,
            extra,
            payer=Payer(first.payer_dossier, first.payer_account),
            actor=actor,
            description=_("%(title)s — options added") % {"title": offering.title},
            due_at=first.due_at if registration.awaits_payment else None,
        )
    for invoice in invoices:
        refund_surplus(invoice, actor=actor)
    confirm_if_settled(registration, actor=actor)


def _add_lines(
    extra: list[DraftLine], chosen: list[RegistrationOption], count: int, offering: Offering
) -> None:
    """Bill the last ``count`` units chosen (the newest companions are the added ones)."""
    for option_line in reversed(chosen):
        if count <= 0:
            break
        units = min(count, option_line.quantity)
        extra.append(option_draft(option_line, offering, units))
        count -= units


# --- How billing names a registration ----------------------------------------------------


def describe(registration: Registration) -> str:
    """« Inscription : Camp de jour — Léa Tremblay » on its invoices' pages and PDFs."""
    return _("Registration: %(offering)s — %(participant)s") % {
        "offering": registration.offering.title,
        "participant": registration.participant.display_name,
    }


def page_for(registration: Registration, account: Account) -> str | None:
    """The registration's page, for an account that may open it."""
    if not Registration.objects.visible_to(account).filter(pk=registration.pk).exists():
        return None
    return reverse("registrations:detail", args=[registration.pk])

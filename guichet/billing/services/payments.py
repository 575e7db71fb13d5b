"""Paying an invoice: by card on the provider's hosted page, or offline (« Envoyer »).

- ``start_checkout``: « Payer maintenant » opens a hosted checkout for the balance.
- ``handle_webhook``: the provider's signed notification records the card payment.
  Every call is kept in ``WebhookEvent``; an unsigned, tampered or stale call is refused
  and logged; the same event twice pays once (the event's unique row, then the ledger's
  ``provider_reference``).
- ``choose_offline``: Interac, transfer or cheque; the instructions are shown and emailed,
  and the invoice waits (a little longer) for staff to record the money.
- ``record_receipt`` and ``record_refund_sent``: staff, from the queue.

Money always moves through ``ledger.record_payment``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import DecimalField, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet import presets
from guichet.accounts.types import Actor
from guichet.audit import services as audit
from guichet.audit.models import Action, Right
from guichet.billing.models import (
    OFFLINE_METHODS,
    Checkout,
    CheckoutStatus,
    Invoice,
    Payment,
    PaymentMethod,
    WebhookEvent,
)
from guichet.billing.providers import active_provider
from guichet.billing.providers.base import SignatureError
from guichet.billing.services.invoicing import notify_payer
from guichet.billing.services.ledger import PaymentRefused, record_payment
from guichet.core.money import ZERO, to_cents
from guichet.dossiers import permissions
from guichet.dossiers.models import DossierKind

logger = logging.getLogger(__name__)

# How long a registration is kept while its payer is on the hosted page: the page's own
# lifetime (one hour, see ``providers.stripe``) and a margin for the webhook to arrive.
CHECKOUT_HOLD = timedelta(hours=1, minutes=10)


class PaymentNotAllowed(Exception):
    """The payer cannot pay this way; the message is shown to them."""


class UnknownProvider(Exception):
    """A webhook for a provider that is not the active one."""


@dataclass(frozen=True)
class WebhookOutcome:
    accepted: bool  # False: the signature was refused (the view answers 400)
    outcome: str


@dataclass(frozen=True)
class OfflineInstructions:
    """How to pay one invoice offline: what to send, where, and the reference to write."""

    method: str
    label: str | Promise
    details: tuple[tuple[str | Promise, str], ...]  # (what, value), shown as a list
    reference: str
    amount: Decimal


def _right(invoice: Invoice, actor: Actor) -> Right:
    return permissions.right_on_addressed(
        actor, addressee=invoice.payer_account_id, made_by=invoice.caused_by_id
    )


def may_pay(account: Any, invoice: Invoice) -> bool:
    """Whether ``account``, who sees ``invoice``, may pay it. An organization's invoice is
    seen by whoever holds its billing subject (« Paiements et relevés ») in read, and paid
    only by whoever holds it in write (the permissions API: organizations' relations)."""
    if invoice.payer_account_id == account.pk or invoice.payer_dossier_id is None:
        return True
    if invoice.payer_dossier is None or invoice.payer_dossier.kind != DossierKind.ORGANIZATION:
        return True
    right = permissions.right_over(
        account,
        invoice.payer_dossier_id,
        act=permissions.WRITE_BILLING,
        made_by=invoice.caused_by_id,
    )
    return right is not None


# --- Card ---------------------------------------------------------------------------------


def card_offered() -> bool:
    """A provider is chosen and has its keys."""
    provider = active_provider()
    return provider is not None and provider.is_configured()


@transaction.atomic
def start_checkout(
    invoice: Invoice, *, actor: Actor, success_url: str, cancel_url: str, request: Any = None
) -> str:
    """Open the provider's hosted checkout for what is owed; returns where to send the payer.

    Raises ``PaymentNotAllowed`` (nothing owed, no provider) or ``ProviderError``."""
    provider = active_provider()
    if not card_offered() or provider is None:
        raise PaymentNotAllowed(_("Card payment is not offered."))
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    amount = invoice.balance
    if amount <= ZERO:
        raise PaymentNotAllowed(_("Nothing is owed on this invoice."))
    hosted = provider.create_checkout(
        invoice_id=invoice.pk,
        invoice_number=invoice.number,
        amount=amount,
        description=_("Invoice %(number)s — %(description)s")
        % {"number": invoice.number, "description": invoice.description or invoice.payer_name},
        customer_email=invoice.payer_email,
        language=invoice.language,
        success_url=success_url,
        cancel_url=cancel_url,
    )
    # Someone paying when the unpaid delay runs out keeps the spot while on the hosted
    # page: the sweeper would otherwise free it under them.
    hold = timezone.now() + CHECKOUT_HOLD
    if invoice.due_at is not None and invoice.due_at < hold:
        invoice.due_at = hold
        invoice.save(update_fields=["due_at"])
    checkout = Checkout.objects.create(
        invoice=invoice,
        provider=provider.name,
        provider_id=hosted.provider_id,
        url=hosted.url,
        amount=amount,
        started_by=actor if getattr(actor, "pk", None) else None,
    )
    audit.record(
        Action.CHECKOUT_STARTED,
        actor=actor,
        subject=invoice.payer_account,
        dossier=invoice.payer_dossier,
        right=_right(invoice, actor),
        request=request,
        data={"invoice": invoice.pk, "checkout": checkout.pk, "amount": str(amount)},
    )
    return hosted.url


@transaction.atomic
def handle_webhook(
    provider_name: str, body: bytes, headers: Mapping[str, str], remote_addr: str | None = None
) -> WebhookOutcome:
    """Verify and apply one notification from the provider. Every call leaves a row."""
    provider = active_provider()
    if provider is None or provider.name != provider_name:
        raise UnknownProvider(provider_name)
    try:
        event = provider.parse_webhook(body, headers)
    except SignatureError as exc:
        WebhookEvent.objects.create(
            provider=provider_name,
            signature_valid=False,
            outcome=f"refused: {exc}"[:255],
            remote_addr=remote_addr,
        )
        logger.warning("Payment webhook refused (%s) from %s: %s", provider_name, remote_addr, exc)
        audit.record(
            Action.WEBHOOK_REFUSED,
            right=Right.SYSTEM,
            data={"provider": provider_name, "reason": str(exc), "remote_addr": remote_addr},
        )
        return WebhookOutcome(False, f"refused: {exc}")

    try:
        with transaction.atomic():
            row = WebhookEvent.objects.create(
                provider=provider_name,
                event_id=event.event_id[:255],
                event_type=event.event_type[:100],
                signature_valid=True,
                remote_addr=remote_addr,
            )
    except IntegrityError:
        # The same event again (a retry, a replay): it was handled the first time. The
        # unique constraint allows one valid row per event, so the repeat is kept apart.
        WebhookEvent.objects.create(
            provider=provider_name,
            event_id=event.event_id[:255],
            event_type=event.event_type[:100],
            signature_valid=False,
            outcome="duplicate of an event already handled (signature was valid)",
            remote_addr=remote_addr,
        )
        return WebhookOutcome(True, "duplicate")

    row.outcome = _apply_event(provider_name, event)[:255]
    row.save(update_fields=["outcome"])
    return WebhookOutcome(True, row.outcome)


def _apply_event(provider_name: str, event: Any) -> str:
    if not event.event_type.startswith("checkout.session."):
        return "ignored: not a checkout event"
    checkout = (
        Checkout.objects.select_for_update()
        .filter(provider=provider_name, provider_id=event.checkout_id)
        .first()
    )
    if checkout is None:
        logger.warning("Webhook %s names an unknown checkout %s", event.event_id, event.checkout_id)
        return "ignored: unknown checkout"
    claimed = str(event.metadata.get("invoice", checkout.invoice_id))
    if claimed != str(checkout.invoice_id):
        logger.warning("Webhook %s: checkout and invoice disagree", event.event_id)
        return "ignored: checkout and invoice disagree"
    if event.event_type == "checkout.session.expired":
        if checkout.status == CheckoutStatus.OPEN:
            checkout.status = CheckoutStatus.EXPIRED
            checkout.save(update_fields=["status"])
        return "checkout expired"
    if not event.paid:
        return "not paid yet"
    if event.currency != "cad":
        logger.warning("Webhook %s: paid in %s, not CAD", event.event_id, event.currency)
        return f"ignored: currency {event.currency}"
    if event.amount <= ZERO:
        return "ignored: nothing captured"
    payment = record_payment(
        checkout.invoice,
        amount=event.amount,  # what the provider captured, not what was asked
        method=PaymentMethod.CARD,
        actor=None,
        provider_reference=event.payment_reference or event.checkout_id,
        reference=checkout.provider_id[:100],
    )
    if checkout.status != CheckoutStatus.COMPLETED:
        checkout.status = CheckoutStatus.COMPLETED
        checkout.save(update_fields=["status"])
    return f"paid {payment.amount} (payment {payment.pk})"


def payment_of(checkout: Checkout) -> Payment | None:
    """The card payment a checkout brought, once its webhook was applied (``_apply_event``
    records it with the checkout's id as its reference)."""
    return (
        Payment.objects.filter(
            invoice_id=checkout.invoice_id,
            method=PaymentMethod.CARD,
            amount__gt=0,
            reference=checkout.provider_id[:100],
        )
        .order_by("id")
        .first()
    )


# --- Offline ------------------------------------------------------------------------------


def offline_instructions(invoice: Invoice, method: str) -> OfflineInstructions | None:
    """What the operator's preset says about paying this way; ``None`` if not offered."""
    billing = presets.active().billing
    if billing is None:
        return None
    details: list[tuple[str | Promise, str]] = []
    if method == PaymentMethod.INTERAC and billing.interac_email:
        details.append((gettext_lazy("Send the e-transfer to"), billing.interac_email))
    elif method == PaymentMethod.TRANSFER and billing.bank_details:
        details.append((gettext_lazy("Deposit to"), billing.bank_details))
        details.append((gettext_lazy("Account holder"), billing.legal_name))
    elif method == PaymentMethod.CHEQUE and billing.cheque_payable_to:
        details.append((gettext_lazy("Make the cheque payable to"), billing.cheque_payable_to))
        details.append((gettext_lazy("Mail it to"), billing.cheque_address or billing.address))
    else:
        return None
    return OfflineInstructions(
        method=method,
        label=PaymentMethod(method).label,
        details=tuple(details),
        reference=invoice.number,
        amount=invoice.balance,
    )


def offline_methods_offered(invoice: Invoice) -> list[PaymentMethod]:
    """The offline methods the payer may choose for this invoice (none if card only)."""
    if invoice.card_only:
        return []
    return [m for m in OFFLINE_METHODS if offline_instructions(invoice, m) is not None]


@transaction.atomic
def choose_offline(
    invoice: Invoice, method: str, *, actor: Actor, request: Any = None
) -> OfflineInstructions:
    """« Envoyer »: the payer will pay by Interac, transfer or cheque. Emails the
    instructions and gives the invoice (and the other invoices of its source)
    ``GUICHET_OFFLINE_PAYMENT_DAYS`` to be paid."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.card_only:
        raise PaymentNotAllowed(
            _("This invoice can only be paid by card: it includes gala companions.")
        )
    if invoice.balance <= ZERO:
        raise PaymentNotAllowed(_("Nothing is owed on this invoice."))
    instructions = offline_instructions(invoice, method)
    if instructions is None:
        raise PaymentNotAllowed(_("This payment method is not offered."))
    now = timezone.now()
    invoice.offline_method = method
    invoice.offline_chosen_at = now
    fields = ["offline_method", "offline_chosen_at"]
    if invoice.due_at is not None:
        invoice.due_at = now + timedelta(days=settings.GUICHET_OFFLINE_PAYMENT_DAYS)
        fields.append("due_at")
        # The source waits for all its invoices: a registration's gala companions'
        # invoice (card only) gets the time the cheque takes, not the spot taken from
        # under it.
        Invoice.objects.same_source(invoice).filter(due_at__lt=invoice.due_at).exclude(
            pk=invoice.pk
        ).update(due_at=invoice.due_at, updated_at=now)
    invoice.save(update_fields=fields)
    audit.record(
        Action.OFFLINE_PAYMENT_CHOSEN,
        actor=actor,
        subject=invoice.payer_account,
        dossier=invoice.payer_dossier,
        right=_right(invoice, actor),
        request=request,
        data={"invoice": invoice.pk, "method": str(method)},
    )
    notify_payer(invoice, "billing/email/offline_instructions", instructions=instructions)
    return instructions


# --- Staff --------------------------------------------------------------------------------


def with_balance(invoices: QuerySet[Invoice]) -> QuerySet[Invoice]:
    return invoices.annotate(
        owed=ExpressionWrapper(
            F("total") - F("amount_credited") - F("amount_paid"),
            DecimalField(max_digits=12, decimal_places=2),
        )
    )


def staff_queue(search: str = "") -> QuerySet[Invoice]:
    """Invoices awaiting an offline payment, and invoices with a refund due."""
    invoices = with_balance(Invoice.objects.all()).filter(
        (Q(owed__gt=0) & ~Q(offline_method="")) | Q(owed__lt=0)
    )
    search = search.strip()
    if search:
        invoices = invoices.filter(Q(number__icontains=search) | Q(payer_name__icontains=search))
    return invoices.order_by("offline_chosen_at", "issued_at", "pk")


def record_receipt(
    invoice: Invoice,
    *,
    amount: Decimal,
    method: str,
    received_on: date,
    reference: str = "",
    actor: Actor,
) -> Payment:
    """Staff record money received offline (all or part of the balance)."""
    return _record_by_staff(invoice, amount, method, received_on, reference, actor, refund=False)


def record_refund_sent(
    invoice: Invoice,
    *,
    amount: Decimal,
    method: str,
    received_on: date,
    reference: str = "",
    actor: Actor,
) -> Payment:
    """Staff record a refund they sent (a negative payment), at most what is due back."""
    return _record_by_staff(invoice, amount, method, received_on, reference, actor, refund=True)


@transaction.atomic
def _record_by_staff(
    invoice: Invoice,
    amount: Decimal,
    method: str,
    received_on: date,
    reference: str,
    actor: Actor,
    *,
    refund: bool,
) -> Payment:
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    amount = to_cents(amount)
    if amount <= ZERO:
        raise PaymentRefused(_("Enter an amount greater than zero."))
    if refund and amount > -invoice.balance:
        raise PaymentRefused(_("The amount is more than the refund due."))
    if not refund and amount > invoice.balance:
        raise PaymentRefused(_("The amount is more than the balance of the invoice."))
    return record_payment(
        invoice,
        amount=-amount if refund else amount,
        method=method,
        actor=actor,
        received_on=received_on,
        reference=reference,
        note=_("Refund sent") if refund else "",
    )

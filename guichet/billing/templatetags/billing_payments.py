"""What ``billing/_pay.html`` offers for an invoice, computed from the invoice alone (the
invoice page that includes it passes nothing else)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import template

from guichet.billing.forms.payments import OfflineChoiceForm
from guichet.billing.models import Invoice
from guichet.billing.services import payments
from guichet.core.money import ZERO

register = template.Library()


@dataclass(frozen=True)
class PaymentOptions:
    payable: bool  # something is owed
    card: bool  # « Payer maintenant » is offered
    card_only: bool
    offline_form: Any = None
    offline: list[Any] = field(default_factory=list)


@register.simple_tag(takes_context=True)
def payment_options(context: template.Context, invoice: Invoice) -> PaymentOptions:
    request = context.get("request")
    viewer = getattr(request, "user", None)
    unpaid_by_viewer = viewer is not None and not payments.may_pay(viewer, invoice)
    if invoice.balance <= ZERO or unpaid_by_viewer:
        return PaymentOptions(payable=False, card=False, card_only=invoice.card_only)
    offline = payments.offline_methods_offered(invoice)
    form = OfflineChoiceForm(methods=offline, auto_id="id_pay_%s") if offline else None
    return PaymentOptions(
        payable=True,
        card=payments.card_offered(),
        card_only=invoice.card_only,
        offline_form=form,
        offline=offline,
    )

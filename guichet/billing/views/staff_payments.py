"""Staff: the queue of offline payments and refunds due, and recording money in and out."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guichet.accounts.types import SignedInRequest
from guichet.billing.forms.payments import ReceiptForm, RefundSentForm
from guichet.billing.models import Invoice
from guichet.billing.services import payments
from guichet.billing.services.ledger import PaymentRefused
from guichet.core.money import ZERO, format_money
from guichet.core.roles import Role
from guichet.core.staff import role_required

PAGE_SIZE = 25


@role_required(Role.ACCOUNTING)
def queue(request: SignedInRequest) -> HttpResponse:
    search = request.GET.get("q", "")[:100]
    page = Paginator(payments.staff_queue(search), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"page": page, "search": search, "query": query.urlencode()}
    return render(request, "billing/staff/queue.html", context)


@role_required(Role.ACCOUNTING)
@require_http_methods(["GET", "POST"])
def invoice_payments(request: SignedInRequest, pk: int) -> HttpResponse:
    """One invoice for staff: its payments, a receipt to record, or a refund sent."""
    invoice = get_object_or_404(Invoice.objects.all(), pk=pk)
    today = timezone.localdate()
    action = request.POST.get("action") if request.method == "POST" else None
    receipt_form = ReceiptForm(
        request.POST if action == "receipt" else None,
        prefix="receipt",
        initial={
            "amount": max(invoice.balance, ZERO),
            "method": invoice.offline_method or "cheque",
            "received_on": today,
        },
    )
    refund_form = RefundSentForm(
        request.POST if action == "refund" else None,
        prefix="refund",
        initial={"amount": max(-invoice.balance, ZERO), "method": "cheque", "received_on": today},
    )
    form = {"receipt": receipt_form, "refund": refund_form}.get(action or "")
    if form is not None and form.is_valid():
        record = payments.record_receipt if action == "receipt" else payments.record_refund_sent
        try:
            record(invoice, actor=request.user, **form.cleaned_data)
        except PaymentRefused as exc:
            form.add_error("amount", str(exc))
        else:
            invoice.refresh_from_db()
            messages.success(
                request,
                _("Recorded. Balance of invoice %(number)s: %(balance)s.")
                % {"number": invoice.number, "balance": format_money(invoice.balance)},
            )
            return redirect("billing:staff_payments")
    context = {
        "invoice": invoice,
        "payments": invoice.payments.select_related("recorded_by").order_by("received_on", "pk"),
        "receipt_form": receipt_form,
        "refund_form": refund_form,
    }
    return render(request, "billing/staff/invoice.html", context)

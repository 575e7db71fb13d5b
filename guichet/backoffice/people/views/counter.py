"""At the counter or on the phone (Accueil): find the person, register them or their
child, take the payment in person or leave it on the account, print the receipt."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from guichet.accounts.types import SignedInRequest
from guichet.backoffice.people.forms import (
    CounterPaymentForm,
    CounterRegistrationForm,
    CounterSearchForm,
)
from guichet.backoffice.people.services import counter
from guichet.billing import documents
from guichet.billing.models import Invoice, Payment
from guichet.billing.services.ledger import PaymentRefused
from guichet.core.money import ZERO
from guichet.core.pdf import pdf_response, render_pdf
from guichet.core.roles import Role
from guichet.core.staff import role_required
from guichet.dossiers.models import Dossier, DossierKind
from guichet.registrations.services.register import Outcome

COUNTER_ROLES = (Role.COUNTER, Role.REGISTRAR)


@role_required(*COUNTER_ROLES)
@require_GET
def search(request: SignedInRequest) -> HttpResponse:
    form = CounterSearchForm(request.GET or None)
    people = counter.search(form.cleaned_data["q"]) if form.is_valid() else []
    children = counter.children_of(people)
    results = [(person, children.get(person.pk, [])) for person in people]
    context = {"form": form, "results": results}
    return render(request, "backoffice/people/counter/search.html", context)


@role_required(*COUNTER_ROLES)
@require_http_methods(["GET", "POST"])
def register(request: SignedInRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Dossier.objects.filter(kind=DossierKind.PERSON), pk=pk)
    offerings = counter.open_offerings()
    chosen = request.POST.get("offre") or request.GET.get("offre") or ""
    offering = offerings.filter(pk=int(chosen)).first() if chosen.isdigit() else None
    form = None
    if offering is not None:
        form = CounterRegistrationForm(
            request.POST if request.method == "POST" else None,
            questions=offering.questions.order_by("position", "pk"),
            initial={"key": uuid.uuid4().hex},
        )
        if request.method == "POST" and form.is_valid():
            done = counter.register(
                offering,
                person,
                answers=form.answers(),
                actor=request.user,
                key=f"counter-{request.user.pk}-{form.cleaned_data['key']}",
            )
            if done.outcome == Outcome.REFUSED:
                messages.error(request, done.reason)
            elif done.invoice is not None and done.invoice.balance > ZERO:
                messages.success(request, _("Registered. The invoice is ready to be paid."))
                return redirect("backoffice:counter_payment", pk=done.invoice.pk)
            elif done.outcome == Outcome.WAITING:
                messages.success(request, _("The offering is full: added to the waiting list."))
                return redirect("backoffice:counter")
            else:
                messages.success(request, _("Registered and confirmed."))
                return redirect("backoffice:counter")
    context = {"person": person, "offerings": offerings, "offering": offering, "form": form}
    return render(request, "backoffice/people/counter/register.html", context)


@role_required(Role.COUNTER, Role.REGISTRAR, Role.ACCOUNTING)
@require_http_methods(["GET", "POST"])
def payment(request: SignedInRequest, pk: int) -> HttpResponse:
    invoice = get_object_or_404(Invoice.objects.all(), pk=pk)
    form = CounterPaymentForm(
        request.POST if request.method == "POST" else None,
        initial={"amount": max(invoice.balance, ZERO), "method": "debit"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            paid = counter.take_payment(
                invoice,
                amount=form.cleaned_data["amount"],
                method=form.cleaned_data["method"],
                reference=form.cleaned_data["reference"],
                actor=request.user,
            )
        except PaymentRefused as refusal:
            form.add_error("amount", str(refusal))
        else:
            messages.success(request, _("Payment recorded. The receipt was emailed to the payer."))
            return redirect("backoffice:counter_receipt", pk=paid.pk)
    context = {"invoice": invoice, "form": form}
    return render(request, "backoffice/people/counter/payment.html", context)


@role_required(Role.COUNTER, Role.REGISTRAR, Role.ACCOUNTING)
@require_GET
def receipt(request: SignedInRequest, pk: int) -> HttpResponse:
    paid = get_object_or_404(
        Payment.objects.filter(receipt_number__isnull=False).select_related("invoice"), pk=pk
    )
    if request.GET.get("format") == "pdf":
        content = render_pdf(
            "billing/pdf/receipt.html",
            documents.receipt_context(paid),
            language=paid.invoice.language,
        )
        return pdf_response(content, f"recu-{paid.receipt_number}.pdf")
    if request.GET.get("format"):
        raise Http404
    return render(request, "backoffice/people/counter/receipt.html", {"payment": paid})

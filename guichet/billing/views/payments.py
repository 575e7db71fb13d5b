"""The payer's payment pages: « Payer maintenant », the return from the provider,
« Envoyer » (offline) and its instructions; the provider's webhook; the demo checkout."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guichet.accounts.types import SignedInRequest
from guichet.audit.services import client_ip
from guichet.billing.forms.payments import OfflineChoiceForm
from guichet.billing.models import Checkout, CheckoutStatus, Invoice
from guichet.billing.providers import active_provider
from guichet.billing.providers.base import ProviderError
from guichet.billing.providers.demo import DemoProvider
from guichet.billing.services import payments
from guichet.core.money import ZERO


def _invoice(request: SignedInRequest, pk: int) -> Invoice:
    invoice = get_object_or_404(Invoice.objects.visible_to(request.user), pk=pk)
    if not payments.may_pay(request.user, invoice):  # an organization's, seen in read only
        raise Http404
    return invoice


@login_required
@require_POST
def pay_card(request: SignedInRequest, pk: int) -> HttpResponse:
    """« Payer maintenant »: off to the provider's hosted checkout."""
    invoice = _invoice(request, pk)
    back = request.build_absolute_uri(reverse("billing:invoice", args=[invoice.pk]))
    success = request.build_absolute_uri(reverse("billing:checkout_return", args=[invoice.pk]))
    try:
        url = payments.start_checkout(
            invoice,
            actor=request.user,
            success_url=success + "?session_id={CHECKOUT_SESSION_ID}",
            cancel_url=back,
            request=request,
        )
    except payments.PaymentNotAllowed as exc:
        messages.error(request, str(exc))
        return redirect("billing:invoice", pk=invoice.pk)
    except ProviderError:
        messages.error(
            request,
            _("The payment service cannot be reached right now. Try again in a few minutes."),
        )
        return redirect("billing:invoice", pk=invoice.pk)
    return redirect(url)


@login_required
@require_GET
def checkout_return(request: SignedInRequest, pk: int) -> HttpResponse:
    """Back from the hosted page: paid once the webhook arrived, otherwise « en cours »."""
    invoice = _invoice(request, pk)
    checkout = None
    session_id = request.GET.get("session_id", "")
    if session_id:
        checkout = invoice.checkouts.filter(provider_id=session_id).first()
    # This checkout's own payment: its amount, not what the invoice received in all.
    payment = payments.payment_of(checkout) if checkout is not None else None
    received = (
        payment is not None
        or (checkout is not None and checkout.status == CheckoutStatus.COMPLETED)
        or invoice.balance <= ZERO
    )
    context = {"invoice": invoice, "received": received, "payment": payment}
    return render(request, "billing/pay_return.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def pay_offline(request: SignedInRequest, pk: int) -> HttpResponse:
    """« Envoyer »: the payer chose Interac, a transfer or a cheque."""
    invoice = _invoice(request, pk)
    methods = payments.offline_methods_offered(invoice)
    if invoice.card_only or not methods or invoice.balance <= ZERO:
        if request.method == "POST":
            messages.error(
                request,
                _("This invoice can only be paid by card: it includes gala companions.")
                if invoice.card_only
                else _("This payment method is not offered."),
            )
        return redirect("billing:invoice", pk=invoice.pk)
    form = OfflineChoiceForm(request.POST if request.method == "POST" else None, methods=methods)
    if request.method == "POST" and form.is_valid():
        try:
            payments.choose_offline(
                invoice, form.cleaned_data["method"], actor=request.user, request=request
            )
        except payments.PaymentNotAllowed as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("billing:offline_instructions", pk=invoice.pk)
    return render(request, "billing/pay_offline.html", {"invoice": invoice, "form": form})


@login_required
@require_GET
def offline_instructions(request: SignedInRequest, pk: int) -> HttpResponse:
    invoice = _invoice(request, pk)
    instructions = (
        payments.offline_instructions(invoice, invoice.offline_method)
        if invoice.offline_method
        else None
    )
    if instructions is None:
        return redirect("billing:invoice", pk=invoice.pk)
    context = {"invoice": invoice, "instructions": instructions}
    return render(request, "billing/pay_instructions.html", context)


@csrf_exempt
@require_POST
def webhook(request: HttpRequest, provider: str) -> HttpResponse:
    """The provider's notification: 400 when its signature is refused, 200 otherwise."""
    try:
        result = payments.handle_webhook(
            provider, request.body, request.headers, remote_addr=client_ip(request)
        )
    except payments.UnknownProvider as exc:
        raise Http404 from exc
    if not result.accepted:
        return JsonResponse({"error": "signature refused"}, status=400)
    return JsonResponse({"received": True})


@login_required
@require_http_methods(["GET", "POST"])
def demo_checkout(request: SignedInRequest, provider_id: str) -> HttpResponse:
    """The demo provider's hosted page (only while ``GUICHET_PAYMENT_PROVIDER=demo``)."""
    provider = active_provider()
    if not isinstance(provider, DemoProvider):
        raise Http404
    checkout = get_object_or_404(
        Checkout.objects.select_related("invoice").filter(
            invoice__in=Invoice.objects.visible_to(request.user), provider=provider.name
        ),
        provider_id=provider_id,
    )
    invoice = checkout.invoice
    if request.method == "POST" and checkout.status == CheckoutStatus.OPEN:
        body, headers = provider.completed_event(checkout)
        payments.handle_webhook(provider.name, body, headers, remote_addr=client_ip(request))
    if request.method == "POST" or checkout.status != CheckoutStatus.OPEN:
        success = reverse("billing:checkout_return", args=[invoice.pk])
        return redirect(f"{success}?session_id={checkout.provider_id}")
    context = {"checkout": checkout, "invoice": invoice}
    return render(request, "billing/pay_demo_checkout.html", context)

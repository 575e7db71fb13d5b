"""Placeholder: the invoice page (replaced by the documents work)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from guichet.billing.models import Invoice


@login_required
def invoice(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = get_object_or_404(Invoice.objects.visible_to(request.user), pk=pk)
    return render(request, "billing/invoice.html", {"invoice": invoice})

"""The household cart: prepare lines before the opening, submit them all at once."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from guichet.catalog.models import Offering
from guichet.registrations.forms import CartLineForm, SubmitForm
from guichet.registrations.models import CartLine
from guichet.registrations.services.register import Line, submit_cart
from guichet.registrations.views.busy import friendly_when_busy
from guichet.registrations.views.queue import queue_gate
from guichet.registrations.views.start import household_choices


def _offerings():
    return Offering.objects.published().filter(registration_closes_at__gt=timezone.now())


@login_required
@friendly_when_busy
def cart(request: HttpRequest) -> HttpResponse:
    participants = household_choices(request.user)
    lines = list(
        CartLine.objects.filter(account=request.user)
        .select_related("offering", "participant")
        .order_by("added_at", "id")
    )
    if waiting_page := queue_gate(request, [line.offering.registration_opens_at for line in lines]):
        return waiting_page
    add_form = CartLineForm(
        request.POST if "add" in request.POST else None,
        offerings=_offerings(),
        participants=participants,
    )
    submit_form = SubmitForm(
        request.POST if "submit" in request.POST else None, initial={"key": uuid.uuid4()}
    )
    if "add" in request.POST and add_form.is_valid():
        CartLine.objects.get_or_create(
            account=request.user,
            offering=add_form.cleaned_data["offering"],
            participant_id=add_form.cleaned_data["participant"],
        )
        return redirect("registrations:cart")
    if "remove" in request.POST:
        CartLine.objects.filter(account=request.user, pk=request.POST["remove"]).delete()
        return redirect("registrations:cart")
    if "submit" in request.POST and lines and submit_form.is_valid():
        result = submit_cart(
            actor=request.user,
            lines=[
                Line(line.offering, line.participant, line.options, line.answers) for line in lines
            ],
            idempotency_key=str(submit_form.cleaned_data["key"]),
            right_for=None,
        )
        done = {
            (r["offering"], r["participant"]) for r in result["lines"] if r["outcome"] != "refused"
        }
        for line in lines:
            if (line.offering_id, line.participant_id) in done:
                line.delete()
        return redirect("registrations:result", result["key"])
    now = timezone.now()
    opening = min((line.offering.registration_opens_at for line in lines), default=None)
    return render(
        request,
        "registrations/cart.html",
        {
            "lines": lines,
            "add_form": add_form,
            "submit_form": submit_form,
            "now": now,
            "opening": opening if opening and opening > now else None,
        },
    )

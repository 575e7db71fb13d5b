"""The household cart: prepare lines before the opening, submit them all at once."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guichet.accounts.types import SignedInRequest
from guichet.catalog.models import Offering, Option, Question
from guichet.registrations.forms import CartLineForm, DetailsForm, SubmitForm
from guichet.registrations.models import CartLine
from guichet.registrations.services import cart as cart_service
from guichet.registrations.views.busy import friendly_when_busy
from guichet.registrations.views.queue import queue_gate
from guichet.registrations.views.start import after_submit, household_choices


def _offerings():
    return Offering.objects.published().filter(registration_closes_at__gt=timezone.now())


def _to_answer(lines: list[CartLine]) -> tuple[set[int], set[int]]:
    """(offerings with questions or options to answer, ids of the lines whose required
    questions are still unanswered), in two queries."""
    offering_ids = {line.offering_id for line in lines}
    if not offering_ids:
        return set(), set()
    questions = Question.objects.filter(offering__in=offering_ids)
    required: dict[int, list[str]] = {}
    asked = set(
        Option.objects.filter(offering__in=offering_ids).values_list("offering_id", flat=True)
    )
    for offering_id, label, is_required in questions.values_list(
        "offering_id", "label", "required"
    ):
        asked.add(offering_id)
        if is_required:
            required.setdefault(offering_id, []).append(label)
    unanswered = {
        line.pk
        for line in lines
        if any(not line.answers.get(label) for label in required.get(line.offering_id, []))
    }
    return asked, unanswered


@login_required
@friendly_when_busy
def cart(request: SignedInRequest) -> HttpResponse:
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
        cart_service.add_line(
            actor=request.user,
            offering=add_form.cleaned_data["offering"],
            participant_id=add_form.cleaned_data["participant"],
        )
        return redirect("registrations:cart")
    if "remove" in request.POST:
        cart_service.remove_line(actor=request.user, pk=request.POST["remove"])
        return redirect("registrations:cart")
    asked, unanswered = _to_answer(lines)
    if "submit" in request.POST and lines and unanswered:
        messages.error(
            request,
            _("Answer the required questions of each line marked « To complete » first."),
        )
    elif "submit" in request.POST and lines and submit_form.is_valid():
        result = cart_service.submit(
            actor=request.user,
            lines=lines,
            idempotency_key=str(submit_form.cleaned_data["key"]),
            confirm_free=True,
        )
        return after_submit(request, result)
    now = timezone.now()
    opening = min((line.offering.registration_opens_at for line in lines), default=None)
    return render(
        request,
        "registrations/cart.html",
        {
            "lines": lines,
            "unanswered": unanswered,
            "asked": asked,
            "add_form": add_form,
            "submit_form": submit_form,
            "now": now,
            "opening": opening if opening and opening > now else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def line_details(request: SignedInRequest, pk: int) -> HttpResponse:
    """A cart line's questions and options, answered before the opening."""
    line = get_object_or_404(
        CartLine.objects.select_related("offering", "participant"), pk=pk, account=request.user
    )
    offering = line.offering
    questions = list(offering.questions.all())
    options = list(offering.options.all())
    initial = cart_service.kept(line).form_initial(questions=questions, options=options)
    form = DetailsForm(
        request.POST if request.method == "POST" else None,
        offering=offering,
        participant=line.participant,
        questions=questions,
        options=options,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        cart_service.keep_choices(line, form.choices(), actor=request.user)
        messages.success(request, _("The answers are kept with the cart line."))
        return redirect("registrations:cart")
    return render(
        request, "registrations/cart_line.html", {"line": line, "offering": offering, "form": form}
    )

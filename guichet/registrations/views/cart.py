"""The household cart: prepare lines before the opening, submit them all at once."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guichet.catalog.models import Offering, Option, Question
from guichet.registrations.choices import Choices
from guichet.registrations.forms import CartLineForm, DetailsForm, SubmitForm
from guichet.registrations.models import CartLine
from guichet.registrations.services.register import Line, submit_cart
from guichet.registrations.views.busy import friendly_when_busy
from guichet.registrations.views.queue import queue_gate
from guichet.registrations.views.start import household_choices


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


def _kept(line: CartLine) -> Choices:
    """The choices kept on a cart line (JSON, like the wizard's session)."""
    return Choices.from_json(
        {"options": line.options, "answers": line.answers, "companions": line.companions}
    )


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
    asked, unanswered = _to_answer(lines)
    if "submit" in request.POST and lines and unanswered:
        messages.error(
            request,
            _("Answer the required questions of each line marked « To complete » first."),
        )
    elif "submit" in request.POST and lines and submit_form.is_valid():
        result = submit_cart(
            actor=request.user,
            lines=[
                Line(line.offering, line.participant, c.options, c.answers, c.companions)
                for line in lines
                for c in [_kept(line)]
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
def line_details(request: HttpRequest, pk: int) -> HttpResponse:
    """A cart line's questions and options, answered before the opening."""
    line = get_object_or_404(
        CartLine.objects.select_related("offering", "participant"), pk=pk, account=request.user
    )
    offering = line.offering
    questions = list(offering.questions.all())
    options = list(offering.options.all())
    initial = _kept(line).form_initial(questions=questions, options=options)
    form = DetailsForm(
        request.POST if request.method == "POST" else None,
        offering=offering,
        participant=line.participant,
        questions=questions,
        options=options,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        kept = form.choices().to_json()
        line.options, line.answers, line.companions = (
            kept["options"],
            kept["answers"],
            kept["companions"],
        )
        line.save(update_fields=["options", "answers", "companions"])
        messages.success(request, _("The answers are kept with the cart line."))
        return redirect("registrations:cart")
    return render(
        request, "registrations/cart_line.html", {"line": line, "offering": offering, "form": form}
    )

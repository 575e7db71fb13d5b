"""Confirm, modify, cancel a registration, and answer a waiting-list offer.

Every registration is fetched through ``Registration.objects.visible_to(account)``: a
registration that is not the person's, their household's or one they registered is a 404.
Changing one also needs a right in force over the participant today (self, guardian or
delegate; ``changes.change_right``): a guardian whose link ended, or a delegate whose
delegation ended, may still read what they did but no longer change it, and a guardian
never changes another guardian's registration.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.accounts.types import SignedInRequest
from guichet.billing.owed import Billed, billed_for
from guichet.registrations.choices import Choices
from guichet.registrations.forms import DetailsForm
from guichet.registrations.models import Registration, RegistrationOption, RegistrationStatus
from guichet.registrations.services import changes, register, waitlist
from guichet.registrations.views.busy import friendly_when_busy


def _visible(request: SignedInRequest, pk: int) -> Registration:
    """The registration if the person may see it, else 404. What one registered oneself is
    visible (``visible_to``'s first clause): read by its key alone, without composing the
    grants' subqueries (most of this page's CPU on registration day). Anything else is
    asked of ``visible_to`` in full."""
    related = Registration.objects.select_related("offering", "participant")
    registration = related.filter(pk=pk).first()
    if registration is not None and registration.registered_by_id == request.user.pk:
        return registration
    return get_object_or_404(related.visible_to(request.user), pk=pk)


def _changeable(request: SignedInRequest, pk: int) -> Registration:
    registration = _visible(request, pk)
    if changes.change_right(registration, request.user) is None:
        raise Http404
    return registration


def _done(request: HttpRequest, registration: Registration) -> HttpResponse:
    return redirect("registrations:detail", registration.pk)


@login_required
def detail(request: SignedInRequest, pk: int) -> HttpResponse:
    registration = _visible(request, pk)
    # Read once: the lines shown and the total (``amount_due``) both use them.
    lines = Prefetch("option_lines", RegistrationOption.objects.select_related("option"))
    prefetch_related_objects([registration], lines)
    return render(
        request,
        "registrations/detail.html",
        {
            "registration": registration,
            "option_lines": registration.option_lines.all(),
            # Reading who may open which invoice is costly to compose: only when there is one
            # (a free registration has none).
            "billed": billed_for(registration, request.user)
            if registration.invoices.exists()
            else Billed(),
            "may_change": changes.may_change(registration, request.user),
            "may_act": changes.change_right(registration, request.user) is not None,
        },
    )


@login_required
@require_POST
@friendly_when_busy
def confirm(request: SignedInRequest, pk: int) -> HttpResponse:
    registration = _changeable(request, pk)
    if registration.status != RegistrationStatus.HELD:
        messages.error(request, _("This spot is no longer held; register again."))
        return _done(request, registration)
    registration = register.confirm(registration, actor=request.user)
    if registration.status == RegistrationStatus.PENDING_PAYMENT:
        messages.success(
            request,
            _("Your spot is reserved. Pay the invoice to confirm the registration."),
        )
        # The invoice is the payer's: another guardian who confirms stays on the registration.
        invoice = registration.invoices.visible_to(request.user).order_by("id").first()
        return redirect("billing:invoice", invoice.pk) if invoice else _done(request, registration)
    messages.success(request, _("Registration confirmed. A confirmation email is on its way."))
    return _done(request, registration)


@login_required
@friendly_when_busy
def cancel(request: SignedInRequest, pk: int) -> HttpResponse:
    registration = _changeable(request, pk)
    may = changes.may_change(registration, request.user)
    if request.method == "POST" and may:
        try:
            changes.cancel(registration, actor=request.user)
        except changes.ChangeRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("The registration is cancelled."))
        return _done(request, registration)
    return render(request, "registrations/cancel.html", {"registration": registration, "may": may})


@login_required
@friendly_when_busy
def modify(request: SignedInRequest, pk: int) -> HttpResponse:
    registration = _changeable(request, pk)
    may = changes.may_change(registration, request.user)
    offering = registration.offering
    questions, options = list(offering.questions.all()), list(offering.options.all())
    current = Choices.from_registration(registration)
    form = DetailsForm(
        request.POST or None,
        offering=offering,
        questions=questions,
        options=options,
        initial=current.form_initial(questions=questions, options=options),
    )
    if request.method == "POST" and may and form.is_valid():
        chosen = form.choices()
        try:
            changes.modify(
                registration,
                chosen.options,
                chosen.answers,
                companions=chosen.companions,
                actor=request.user,
            )
        except changes.ChangeRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Your changes are saved."))
            return _done(request, registration)
    return render(
        request,
        "registrations/modify.html",
        {"registration": registration, "form": form, "may": may},
    )


@login_required
@friendly_when_busy
def offer(request: SignedInRequest, pk: int) -> HttpResponse:
    registration = _changeable(request, pk)
    if request.method == "POST":
        try:
            if "accept" in request.POST:
                waitlist.accept_offer(registration, actor=request.user)
                messages.success(request, _("The spot is yours: registration confirmed."))
            elif "decline" in request.POST:
                changes.decline_offer(registration, actor=request.user)
                messages.success(request, _("Offer declined; the spot goes to the next person."))
        except waitlist.OfferClosed:
            messages.error(request, _("This offer is no longer open."))
        return _done(request, registration)
    return render(request, "registrations/offer.html", {"registration": registration})

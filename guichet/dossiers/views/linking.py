"""« Activez votre dossier »: the guides' two choices, each linking method, the confirmation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from allauth.core import ratelimit
from allauth.core.internal.ratelimit import respond_429
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet import presets
from guichet.accounts.types import SignedInRequest
from guichet.dossiers import permissions
from guichet.dossiers.forms import linking as linking_forms
from guichet.dossiers.models import LinkRole
from guichet.dossiers.services import linking
from guichet.dossiers.services.linking import Outcome, Status
from guichet.presets import Feature, LinkingMethod


@dataclass(frozen=True)
class MethodPage:
    method: LinkingMethod
    url_name: str
    title: Promise
    intro: Promise
    form_class: type[forms.Form]
    link: Callable[..., Outcome]


METHODS: tuple[MethodPage, ...] = (
    MethodPage(
        LinkingMethod.NUMBER_AND_BIRTH_DATE,
        "link_number",
        gettext_lazy("With my file number and birth date"),
        gettext_lazy("Enter your file number and your birth date (YYYY/MM/DD)."),
        linking_forms.NumberAndBirthDateForm,
        linking.link_by_number,
    ),
    MethodPage(
        LinkingMethod.MEMBER_IDENTITY,
        "link_member",
        gettext_lazy("With my member number"),
        gettext_lazy(
            "Enter your member number, your full last name, your birth date and your postal code."
        ),
        linking_forms.MemberIdentityForm,
        linking.link_by_member_identity,
    ),
    MethodPage(
        LinkingMethod.LEGACY_CREDENTIALS,
        "link_legacy",
        gettext_lazy("With my former online services credentials"),
        gettext_lazy(
            "Use the username and password of the former online services. They are used once, "
            "to prove the link, then erased."
        ),
        linking_forms.LegacyCredentialsForm,
        linking.link_by_legacy_credentials,
    ),
    MethodPage(
        LinkingMethod.LINKING_CODE,
        "link_code",
        gettext_lazy("With a linking code"),
        gettext_lazy(
            "Enter your file number and the linking code we sent to the email address on file."
        ),
        linking_forms.LinkingCodeForm,
        linking.link_by_code,
    ),
)


def enabled_methods() -> list[MethodPage]:
    preset = presets.active()
    return [page for page in METHODS if preset.allows_linking(page.method)]


def after_link_url() -> str:
    if presets.active().has(Feature.HOUSEHOLDS):
        return reverse("dossiers:household")
    return reverse("dossiers:home")


def request_form_url() -> str:
    return reverse("requests:dossier_number")


@login_required
def activate(request: SignedInRequest) -> HttpResponse:
    methods = enabled_methods()
    return render(
        request,
        "dossiers/linking/activate.html",
        {
            "held": permissions.held_dossier(request.user),
            "pending": linking.pending_confirmation(request.user),
            "first_method": methods[0] if methods else None,
            "other_methods": methods[1:],
            "request_url": request_form_url(),
            "words": presets.active().linking_words,
        },
    )


def refusal_message(outcome: Outcome, *, household: bool = False) -> str:
    """``household``: the refusal of « Ajouter un membre de la famille »."""
    if outcome.status == Status.LOCKED:
        return _(
            "After several failed attempts, linking this file is blocked for 30 minutes. "
            "Try again later or contact us."
        )
    if outcome.status == Status.ACCOUNT_THROTTLED:
        return _("Too many failed attempts from your account. Try again in an hour.")
    if outcome.status == Status.ADDRESS_THROTTLED:
        return _("Too many failed attempts from your connection. Try again in an hour.")
    if outcome.status == Status.TOO_MANY_REQUESTS:
        return _("You sent too many requests today. Try again tomorrow, or contact us.")
    if outcome.status == Status.MINOR:
        if presets.active().has(Feature.HOUSEHOLDS):
            return _(
                "The account holder must be 18 or older. Do not create an account with the "
                "information of a child: add the child from “My family” instead."
            )
        return _("The account holder must be 18 or older.")
    if outcome.status == Status.ADULT:
        return _(
            "Only children under 18 can be added to your family here. For an adult "
            "dependant, contact us."
        )
    if outcome.status == Status.ALREADY_HOLDER:
        return _("Your account is already linked to your own file.")
    if outcome.status == Status.ALREADY_LINKED:
        return _("This file is already linked to your account.")
    # The same words whether the number is unknown, the answer wrong, the file held by
    # someone else or not fit for this link: the rules are stated, not which one applies.
    if household:
        return _(
            "We could not add a family member with this information. Check the file number "
            "and the birth date. Only a child under 18 whose file is not held by its own "
            "account can be added here; for an adult dependant, contact us."
        )
    if presets.active().has(Feature.HOUSEHOLDS):
        return _(
            "We could not link a file with this information. Check what you entered and try "
            "again. The holder of an account must be 18 or older: a child is added by a "
            "guardian from “My family”."
        )
    return _(
        "We could not link a file with this information. Check what you entered and try "
        "again. The holder of an account must be 18 or older."
    )


def handle_outcome(request: HttpRequest, outcome: Outcome) -> HttpResponse | None:
    """The redirect after a link or a sent code; None when the form is shown again."""
    if outcome.status == Status.LINKED and outcome.next_url:
        return redirect(outcome.next_url)
    if outcome.status == Status.LINKED:
        messages.success(
            request,
            _("Your account is now linked to file %(number)s.")
            % {"number": outcome.dossier.number},
        )
        return redirect(after_link_url())
    if outcome.status == Status.CONFIRMATION_SENT:
        return redirect("dossiers:link_confirm")
    if outcome.status in (Status.APPROVAL_NEEDED, Status.APPROVAL_PENDING):
        text = (
            _(
                "Your request for file %(number)s was sent. It waits for the approval of a "
                "guardian already linked to the child, or of our staff; you will be told by "
                "email."
            )
            if outcome.status == Status.APPROVAL_NEEDED
            else _("Your request for file %(number)s is already waiting for approval.")
        )
        messages.info(request, text % {"number": outcome.dossier.number})
        return redirect("dossiers:household")
    return None


@login_required
def link_with(request: SignedInRequest, method: str) -> HttpResponse:
    page = next((p for p in enabled_methods() if p.method == method), None)
    if page is None:
        raise Http404
    form = page.form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = page.link(actor=request.user, request=request, **form.cleaned_data)
        if response := handle_outcome(request, outcome):
            return response
        form.add_error(None, refusal_message(outcome))
    words = presets.active().linking_words
    # A guide's first screen (CCQ « Liaison d'un profil »): « Commencer », then the form.
    started = not words.start or request.method == "POST" or "commencer" in request.GET
    return render(
        request,
        "dossiers/linking/link.html",
        {
            "page": page,
            "form": form,
            "words": words,
            "started": started,
            "other_methods": [p for p in enabled_methods() if p is not page],
            "request_url": request_form_url(),
        },
    )


def method_view(method: LinkingMethod) -> Callable[[HttpRequest], HttpResponse]:
    def view(request: HttpRequest) -> HttpResponse:
        return link_with(request, method)

    return view


@login_required
def confirm(request: SignedInRequest) -> HttpResponse:
    pending = linking.pending_confirmation(request.user)
    if pending is None:
        messages.info(request, _("No confirmation is waiting. Start again."))
        return redirect("dossiers:activate")
    form = linking_forms.ConfirmationCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = linking.confirm_link(
            actor=request.user, code=form.cleaned_data["code"], request=request
        )
        if response := handle_outcome(request, outcome):
            return response
        if outcome.status == Status.REFUSED:
            form.add_error("code", _("This code is not valid. Check the email and try again."))
        else:
            form.add_error(None, refusal_message(outcome))
    context: dict[str, Any] = {
        "form": form,
        "sent_to": linking.mask_email(pending.sent_to),
        # The holder's way out when the address on file no longer works (a request).
        "can_ask_staff": pending.role == LinkRole.HOLDER,
    }
    return render(request, "dossiers/linking/confirm.html", context)


def login_id_reminder(request: HttpRequest) -> HttpResponse:
    """« Identifiant oublié ? »: the same answer whether or not anything matched."""
    form = linking_forms.LoginIdReminderForm(request.POST or None)
    if request.method == "POST" and not ratelimit.consume(request, action="login_id_reminder"):
        return respond_429(request)
    if request.method == "POST" and form.is_valid():
        linking.send_login_id_reminder(
            number=form.cleaned_data["number"],
            birth_date=form.cleaned_data["birth_date"],
            request=request,
        )
        return render(request, "dossiers/linking/login_id_reminder_sent.html")
    return render(request, "dossiers/linking/login_id_reminder.html", {"form": form})

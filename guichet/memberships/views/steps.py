"""The two wizards: the participant file (5 steps) and « Formulaire d'adhésion » (7 steps).

Without a file, the last step « Identifiant » creates the account, the dossier (next
number) and, for an application, the application with its PDFs, in one transaction.
With a file (signed in, holding a dossier), the steps are prefilled from it; names and
birth date are shown but not editable (they change by a change request).
"""

from __future__ import annotations

import contextlib
from datetime import date
from typing import Any

from allauth.core import ratelimit
from allauth.core.internal.ratelimit import respond_429
from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from guichet import presets
from guichet.audit.models import Right
from guichet.dossiers import permissions
from guichet.dossiers.forms.member_signup import AccountForm
from guichet.dossiers.models import Dossier
from guichet.dossiers.services import profile
from guichet.memberships import forms as steps
from guichet.memberships.models import MemberType
from guichet.memberships.services import applications, participant, queries, uploads
from guichet.memberships.services.applications import StashedDocument
from guichet.memberships.views.wizard import Step, Wizard
from guichet.presets import Feature

GENERAL = gettext_lazy("General information")
ADDRESS = gettext_lazy("Address")
FUNCTIONS = gettext_lazy("My functions")
MORE = gettext_lazy("Additional information")
IDENTIFIER = gettext_lazy("Identifier")


def participant_wizard() -> Wizard:
    return Wizard(
        "participant",
        "memberships:participant",
        [
            Step("general", GENERAL, steps.GeneralForm),
            Step("address", ADDRESS, steps.AddressForm),
            Step("functions", FUNCTIONS, steps.FunctionsForm),
            Step("more", MORE, steps.MoreForm),
            Step("identifier", IDENTIFIER, AccountForm),
        ],
        "memberships/wizard/participant.html",
    )


def application_wizard(signed_in: bool) -> Wizard:
    return Wizard(
        "application",
        "memberships:apply",
        [
            Step(
                "membership", pgettext_lazy("application step", "Membership"), steps.MembershipForm
            ),
            Step("general", GENERAL, steps.GeneralForm),
            Step("address", ADDRESS, steps.AddressForm),
            Step("functions", FUNCTIONS, steps.MembershipFunctionsForm),
            Step("diplomas", gettext_lazy("My diplomas"), steps.DiplomasForm),
            Step("more", MORE, steps.MoreForm),
            Step("identifier", IDENTIFIER, steps.ConfirmForm if signed_in else AccountForm),
        ],
        "memberships/wizard/application.html",
    )


def _duplicate(request: HttpRequest, form: forms.Form) -> HttpResponse | None:
    """The same person already on file: offer to link the account, never a second file."""
    data = form.cleaned_data
    if permissions.held_dossier(request.user) is not None:
        return None
    found = participant.on_file(
        data["first_name"], data["last_name"], data["birth_date"], data["email"]
    )
    if found is None:
        return None
    return render(
        request, "memberships/duplicate.html", {"signed_in": request.user.is_authenticated}
    )


def _person(
    wizard: Wizard, request: HttpRequest, numbers: dict[str, int], **functions_kwargs: Any
) -> participant.Person | None:
    general = wizard.cleaned(request, numbers["general"])
    address = wizard.cleaned(request, numbers["address"])
    functions = wizard.cleaned(request, numbers["functions"], **functions_kwargs)
    more = wizard.cleaned(request, numbers["more"])
    if general is None or address is None or functions is None or more is None:
        return None
    return participant.Person(
        first_name=general["first_name"],
        last_name=general["last_name"],
        birth_date=general["birth_date"],
        email=general["email"],
        language=general["language"],
        mobile_phone=general.get("mobile_phone", ""),
        home_street=address["home_street"],
        home_city=address["home_city"],
        home_province=address["home_province"],
        home_postal_code=address["home_postal_code"],
        function_title=functions["title"],
        employer=functions["employer"],
        function_started_on=functions["started_on"],
        expertise=more["expertise"],
        professional_orders=more["professional_orders"],
        linkedin_url=more["linkedin_url"],
    )


def _restart(request: HttpRequest, wizard: Wizard) -> HttpResponse:
    messages.error(request, _("Some information is missing. Check each step again."))
    return redirect(wizard.url(1))


# The participant file ---------------------------------------------------------------
PARTICIPANT_STEPS = {"general": 1, "address": 2, "functions": 3, "more": 4}


@never_cache
@sensitive_post_parameters("password1", "password2")
def participant_file(request: HttpRequest, number: int) -> HttpResponse:
    """« Créer votre dossier de participant », where the preset lets people do it."""
    if not presets.active().self_service_files:
        raise Http404
    if request.user.is_authenticated:
        return redirect("dossiers:home")
    wizard = participant_wizard()

    def initial(step: int) -> dict[str, Any]:
        if step == 5:
            general = wizard.state(request)["values"].get("general", {})
            return {"email": general.get("email", ""), "email2": ""}
        return {}

    def check(step: int, form: forms.Form) -> HttpResponse | None:
        if step == 1:
            return _duplicate(request, form)
        if step == 5 and not ratelimit.consume(request, action="signup"):
            return respond_429(request)
        return None

    def finish(form: forms.Form) -> HttpResponse:
        person = _person(wizard, request, PARTICIPANT_STEPS)
        if person is None:
            return _restart(request, wizard)
        if participant.on_file(
            person.first_name, person.last_name, person.birth_date, person.email
        ):
            return render(request, "memberships/duplicate.html", {"signed_in": False})
        created = participant.create_account_and_file(person, form=form, request=request)
        wizard.forget(request)
        return created.response or redirect("account_login")

    return wizard.handle(request, number, finish=finish, check=check, initial=initial)


# « Formulaire d'adhésion » ---------------------------------------------------------
APPLICATION_STEPS = {
    "membership": 1,
    "general": 2,
    "address": 3,
    "functions": 4,
    "diplomas": 5,
    "more": 6,
}


def _require_memberships() -> None:
    if not presets.active().has(Feature.MEMBERSHIPS):
        raise Http404


def _prefill(dossier: Dossier | None, account: Any) -> dict[str, dict[str, Any]]:
    if dossier is None:
        if account.is_authenticated:
            return {
                "general": {
                    "first_name": account.first_name,
                    "last_name": account.last_name,
                    "email": account.email,
                    "language": account.language,
                }
            }
        return {}
    function = dossier.functions.filter(ended_on__isnull=True).first()
    card = getattr(dossier, "profile", None)
    return {
        "general": {
            "first_name": dossier.first_name,
            "last_name": dossier.last_name,
            "birth_date": dossier.birth_date,
            "email": account.email,
            "mobile_phone": dossier.mobile_phone,
            "language": dossier.language,
        },
        "address": {
            "home_street": dossier.home_street,
            "home_city": dossier.home_city,
            "home_province": dossier.home_province or "QC",
            "home_postal_code": dossier.home_postal_code,
        },
        "functions": {
            "title": function.title if function else "",
            "employer": function.employer if function else "",
            "started_on": function.started_on if function else None,
        },
        "more": {
            "expertise": card.expertise if card else "",
            "professional_orders": card.professional_orders if card else "",
            "linkedin_url": card.linkedin_url if card else "",
        },
    }


def _stashed(wizard: Wizard, request: HttpRequest) -> list[StashedDocument]:
    return [StashedDocument.from_dict(doc) for doc in wizard.joined(request)]


@never_cache
@sensitive_post_parameters("password1", "password2")
def apply(request: HttpRequest, number: int) -> HttpResponse:
    """« Devenir membre »: with a file (prefilled) or without (« Formulaire d'adhésion »)."""
    _require_memberships()
    dossier = permissions.held_dossier(request.user)
    if dossier is not None and not queries.standing(dossier).may_apply:
        return redirect("memberships:standing")
    wizard = application_wizard(request.user.is_authenticated)
    prefill = _prefill(dossier, request.user)
    slugs = [step.slug for step in wizard.steps]

    def member_type() -> MemberType | None:
        chosen = wizard.cleaned(request, 1)
        return chosen["member_type"] if chosen else None

    def form_kwargs(step: int) -> dict[str, Any]:
        slug = slugs[step - 1]
        if slug == "general":
            return {"locked": dossier is not None}
        if slug in ("functions", "diplomas"):
            return {"member_type": member_type()}
        return {}

    def initial(step: int) -> dict[str, Any]:
        slug = slugs[step - 1]
        if slug == "identifier" and not request.user.is_authenticated:
            general = wizard.state(request)["values"].get("general", {})
            return {"email": general.get("email", "")}
        return prefill.get(slug, {})

    def check(step: int, form: forms.Form) -> HttpResponse | None:
        if slugs[step - 1] == "general":
            return _duplicate(request, form)
        anonymous_last = step == 7 and not request.user.is_authenticated
        if anonymous_last and not ratelimit.consume(request, action="signup"):
            return respond_429(request)
        return None

    def finish(form: forms.Form) -> HttpResponse:
        chosen = member_type()
        kwargs = {"initial": prefill.get("general", {}), "locked": dossier is not None}
        general = wizard.cleaned(request, 2, **kwargs)
        if chosen is None or general is None:
            return _restart(request, wizard)
        if gone := wizard.drop_gone(request, uploads.still_there):
            for _number, name in gone:
                messages.error(
                    request,
                    _("The document “%(name)s” is no longer kept: join it again.") % {"name": name},
                )
            return redirect(wizard.url(gone[0][0]))
        stashed = _stashed(wizard, request)
        if missing := applications.required_missing(chosen, {doc.kind for doc in stashed}):
            messages.error(request, _("Missing document: %(what)s.") % {"what": ", ".join(missing)})
            return redirect(wizard.url(4))
        if dossier is not None:
            _update_file(wizard, request, dossier, prefill, chosen)
            try:
                application = applications.submit_application(
                    dossier, chosen, stashed, actor=request.user, request=request
                )
            except applications.AlreadyApplied:
                wizard.forget(request)
                return redirect("memberships:standing")
            wizard.forget(request)
            messages.success(request, _("Your application was sent. Our staff will review it."))
            return redirect("memberships:application", pk=application.pk)
        person = _person(wizard, request, APPLICATION_STEPS, member_type=chosen)
        if person is None:
            return _restart(request, wizard)
        if participant.on_file(
            person.first_name, person.last_name, person.birth_date, person.email
        ):
            return render(
                request, "memberships/duplicate.html", {"signed_in": request.user.is_authenticated}
            )

        def then(account: Any, new_dossier: Dossier) -> None:
            applications.submit_application(
                new_dossier, chosen, stashed, actor=account, request=request
            )

        if request.user.is_authenticated:  # an account without a file: open it now
            new_dossier = participant.open_file(person, account=request.user, request=request)
            then(request.user, new_dossier)
            wizard.forget(request)
            messages.success(request, _("Your application was sent. Our staff will review it."))
            return redirect("memberships:standing")
        created = participant.create_account_and_file(person, form=form, request=request, then=then)
        wizard.forget(request)
        return created.response or redirect("account_login")

    return wizard.handle(
        request,
        number,
        finish=finish,
        check=check,
        initial=initial,
        form_kwargs=form_kwargs,
        context={"signed_in": request.user.is_authenticated, "dossier": dossier},
    )


def _update_file(
    wizard: Wizard,
    request: HttpRequest,
    dossier: Dossier,
    prefill: dict[str, Any],
    member_type: MemberType,
) -> None:
    """What a member-to-be changed in the prefilled steps goes to their file, through
    dossiers' own services (audited there)."""
    general = wizard.cleaned(request, 2, initial=prefill.get("general", {}), locked=True) or {}
    address = wizard.cleaned(request, 3) or {}
    changes = {
        name: value
        for name, value in {
            **address,
            "mobile_phone": general.get("mobile_phone", dossier.mobile_phone),
        }.items()
        if value is not None and getattr(dossier, name) != value
    }
    # The file keeps what it had when incomplete; « Mes informations » asks for the rest.
    with contextlib.suppress(profile.IncompleteInformation):
        if changes:
            profile.update_information(
                dossier, changes, actor=request.user, right=Right.SELF, request=request
            )
    functions = wizard.cleaned(request, 4, member_type=member_type) or {}
    current = dossier.functions.filter(ended_on__isnull=True).first()
    started_on: date | None = functions.get("started_on")
    if (
        functions
        and started_on
        and (
            current is None
            or current.title != functions["title"]
            or current.employer != functions["employer"]
        )
    ):
        profile.add_function(
            dossier,
            title=functions["title"],
            employer=functions["employer"],
            street="",
            city="",
            province="QC",
            postal_code="",
            started_on=started_on,
            actor=request.user,
            request=request,
        )

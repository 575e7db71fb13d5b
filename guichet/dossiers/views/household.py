"""« Ma famille »: the account's own dossier, the dossiers it is guardian of, and the
requests to become a child's guardian that it sent or must decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guichet.accounts.types import SignedInRequest
from guichet.core.features import require_feature
from guichet.dossiers.forms.linking import GuardianDecisionForm, MemberNumberAndBirthDateForm
from guichet.dossiers.models import DossierLink, GuardianRequest, LinkRole
from guichet.dossiers.services import guardians, linking
from guichet.dossiers.views.linking import handle_outcome, refusal_message
from guichet.presets import Feature


@login_required
def household(request: SignedInRequest) -> HttpResponse:
    require_feature(Feature.HOUSEHOLDS)
    # Only this account's links: another guardian of the same child never appears here.
    links = list(
        DossierLink.objects.active()
        .filter(account=request.user)
        .select_related("dossier")
        .order_by("-role", "dossier__birth_date", "dossier__first_name")
    )
    today = timezone.localdate()
    members = [
        {"link": link, "dossier": link.dossier, "age": link.dossier.age_on(today)} for link in links
    ]
    return render(
        request,
        "dossiers/household/household.html",
        {
            "members": members,
            "has_holder": any(link.role == LinkRole.HOLDER for link in links),
            "to_decide": GuardianRequest.objects.to_decide_by(request.user).select_related(
                "account", "dossier"
            ),
            # Only the number typed: nothing of the child until the request is approved.
            "sent": GuardianRequest.objects.sent_by(request.user)
            .pending()
            .select_related("dossier"),
        },
    )


@login_required
def add_member(request: SignedInRequest) -> HttpResponse:
    require_feature(Feature.HOUSEHOLDS)
    form = MemberNumberAndBirthDateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = linking.link_by_number(
            actor=request.user, role=LinkRole.GUARDIAN, request=request, **form.cleaned_data
        )
        if response := handle_outcome(request, outcome):
            return response
        form.add_error(None, refusal_message(outcome, household=True))
    return render(request, "dossiers/household/add_member.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def guardian_request(request: SignedInRequest, pk: int, token: str | None = None) -> HttpResponse:
    """An existing guardian accepts or refuses, from « Ma famille » or the emailed link
    (``token``: single use, expiring). Anyone else gets a 404. Opening the link changes
    nothing: mail scanners follow links, so the decision is a button."""
    require_feature(Feature.HOUSEHOLDS)
    asked = guardians.for_guardian(request.user, pk, token)
    form = GuardianDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accepted = form.cleaned_data["decision"] == GuardianDecisionForm.ACCEPT
        decide = guardians.accept_as_guardian if accepted else guardians.refuse_as_guardian
        try:
            decide(pk, actor=request.user, token=token, request=request)
        except guardians.RequestClosed:
            messages.info(request, _("This request was already decided."))
        else:
            names = {
                "name": asked.account.get_full_name() or asked.account.email,
                "child": asked.dossier.display_name,
            }
            done = (
                _("%(name)s is now also a guardian of %(child)s.")
                if accepted
                else _(
                    "Your refusal is recorded: %(name)s is not linked to %(child)s. Our staff "
                    "will check the request before deciding."
                )
            )
            messages.success(request, done % names)
        return redirect("dossiers:household")
    return render(
        request,
        "dossiers/household/guardian_request.html",
        {"guardian_request": asked, "form": form},
    )


@login_required
@require_POST
def withdraw_guardian_request(request: SignedInRequest, pk: int) -> HttpResponse:
    require_feature(Feature.HOUSEHOLDS)
    try:
        guardians.withdraw(pk, actor=request.user, request=request)
    except guardians.RequestClosed:
        messages.info(request, _("This request was already decided."))
    else:
        messages.success(request, _("Your request was withdrawn."))
    return redirect("dossiers:household")

"""« Ma famille »: the account's own dossier and the dossiers it is guardian of."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from guichet.core.features import require_feature
from guichet.dossiers.forms.linking import MemberNumberAndBirthDateForm
from guichet.dossiers.models import DossierLink, LinkRole
from guichet.dossiers.services import linking
from guichet.dossiers.views.linking import handle_outcome, refusal_message
from guichet.presets import Feature


@login_required
def household(request: HttpRequest) -> HttpResponse:
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
        },
    )


@login_required
def add_member(request: HttpRequest) -> HttpResponse:
    require_feature(Feature.HOUSEHOLDS)
    form = MemberNumberAndBirthDateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = linking.link_by_number(
            actor=request.user, role=LinkRole.GUARDIAN, request=request, **form.cleaned_data
        )
        if response := handle_outcome(request, outcome):
            return response
        form.add_error(None, refusal_message(outcome))
    return render(request, "dossiers/household/add_member.html", {"form": form})

"""« Sélectionnez un profil »: act as oneself or as one of one's organizations."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from guichet.core.features import require_feature
from guichet.dossiers import permissions
from guichet.organizations import header, queries
from guichet.organizations.services.profiles import switch_profile
from guichet.presets import Feature


@login_required
def profiles(request: HttpRequest) -> HttpResponse:
    require_feature(Feature.ORGANIZATIONS)
    context = {
        "person": permissions.held_dossier(request.user),
        "organizations": queries.organizations_of(request.user),
        "acting": queries.acting_organization(request),
        "next": request.GET.get("next", ""),
    }
    return render(request, "organizations/profiles.html", context)


@login_required
def linked(request: HttpRequest) -> HttpResponse:
    """Guide 003 step 2: the link's success, then « Sélectionnez un profil »."""
    require_feature(Feature.ORGANIZATIONS)
    return render(request, "organizations/linked.html")


@login_required
@require_POST
def switch(request: HttpRequest) -> HttpResponse:
    require_feature(Feature.ORGANIZATIONS)
    chosen = request.POST.get("profile", "")
    before = (request.session.get(queries.SESSION_KEY) or {}).get("id")
    organization = switch_profile(
        actor=request.user,
        organization_id=int(chosen) if chosen.isdigit() else None,
        before=before,
        request=request,
    )
    queries.remember(request, organization)
    header.forget(request)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    if organization is not None:
        return redirect("organizations:home")
    return redirect(reverse("dossiers:home"))

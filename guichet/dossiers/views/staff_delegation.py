"""Staff page: grant and end the right to act for others (« super-utilisateur »)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from guichet.accounts.types import SignedInRequest
from guichet.core.features import feature_required
from guichet.core.forms import DateField
from guichet.core.roles import Role
from guichet.core.staff import role_required
from guichet.dossiers.models import Delegation, Dossier, DossierKind
from guichet.dossiers.services.delegation import end_delegation, grant_delegation
from guichet.presets import Feature

SEARCH_LIMIT = 20


delegates_enabled = feature_required(Feature.DELEGATES)
"""Only operators whose preset has delegates (UMQ, demo) show these pages."""


class DelegationForm(forms.Form):
    starts_on = DateField(label=gettext_lazy("Starts on"))
    ends_on = DateField(
        label=gettext_lazy("Ends on"),
        required=False,
        help_text=gettext_lazy("Leave empty for a right without an end date."),
    )
    organization_number = forms.CharField(
        label=gettext_lazy("On behalf of the organization (file number)"),
        required=False,
        max_length=20,
    )
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=255)

    def clean_ends_on(self) -> date | None:
        ends_on = self.cleaned_data.get("ends_on")
        if ends_on and ends_on < timezone.localdate():
            raise forms.ValidationError(_("The end date cannot be in the past."))
        return ends_on

    def clean_organization_number(self) -> Dossier | None:
        number = self.cleaned_data.get("organization_number", "").strip()
        if not number:
            return None
        organization = Dossier.objects.filter(number=number, kind=DossierKind.ORGANIZATION).first()
        if organization is None:
            raise forms.ValidationError(_("No organization has this file number."))
        return organization

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The end date must be on or after the start date."))
        return cleaned


def _search(query: str) -> QuerySet[Any]:
    """Active accounts matching every word of the query in a name or the email."""
    accounts = get_user_model().objects.filter(is_active=True)
    for word in query.split()[:5]:
        accounts = accounts.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        )
    return accounts.order_by("last_name", "first_name", "email")[:SEARCH_LIMIT]


def _current() -> QuerySet[Delegation]:
    today = timezone.localdate()
    return (
        Delegation.objects.not_ended(today)
        .select_related("account", "organization", "granted_by")
        .order_by("starts_on", "pk")
    )


@role_required(Role.ADMINISTRATION)
@delegates_enabled
def delegations(request: SignedInRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    context = {
        "query": query,
        "results": _search(query) if query else None,
        "delegations": _current(),
    }
    return render(request, "dossiers/staff/delegations.html", context)


@role_required(Role.ADMINISTRATION)
@delegates_enabled
@require_http_methods(["GET", "POST"])
def grant(request: SignedInRequest, account_pk: int) -> HttpResponse:
    account = get_object_or_404(get_user_model(), pk=account_pk, is_active=True)
    form = DelegationForm(request.POST or None, initial={"starts_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        grant_delegation(
            account,
            starts_on=form.cleaned_data["starts_on"],
            ends_on=form.cleaned_data["ends_on"],
            organization=form.cleaned_data["organization_number"],
            note=form.cleaned_data["note"],
            actor=request.user,
            request=request,
        )
        messages.success(
            request,
            _("%(name)s may now act for others; they were told by email.")
            % {"name": account.get_full_name() or account.email},
        )
        return redirect("dossiers:staff_delegations")
    return render(
        request, "dossiers/staff/delegation_grant.html", {"form": form, "grantee": account}
    )


@role_required(Role.ADMINISTRATION)
@delegates_enabled
@require_POST
def end(request: SignedInRequest, pk: int) -> HttpResponse:
    delegation = get_object_or_404(_current(), pk=pk)
    end_delegation(delegation, actor=request.user, request=request)
    messages.success(
        request,
        _("The right of %(name)s to act for others has ended; they were told by email.")
        % {"name": delegation.account.get_full_name() or delegation.account.email},
    )
    return redirect("dossiers:staff_delegations")

"""« Personnel et rôles »: Administration gives and takes the staff roles."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from guichet.accounts.types import SignedInRequest
from guichet.backoffice.people.forms import RolesForm
from guichet.backoffice.people.services import roles
from guichet.core.roles import Role
from guichet.core.staff import role_required


@role_required(Role.ADMINISTRATION)
@require_GET
def index(request: SignedInRequest) -> HttpResponse:
    return render(request, "backoffice/people/roles/index.html", {"staff": roles.staff_accounts()})


@role_required(Role.ADMINISTRATION)
@require_http_methods(["GET", "POST"])
def edit(request: SignedInRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(roles.staff_accounts(), pk=pk)
    held = [grant.role for grant in account.role_grants.all()]
    form = RolesForm(request.POST if request.method == "POST" else None, initial={"roles": held})
    if request.method == "POST" and form.is_valid():
        try:
            given, taken = roles.set_roles(
                account, form.cleaned_data["roles"], actor=request.user, request=request
            )
        except roles.RoleRefused as refusal:
            form.add_error("roles", str(refusal))
        else:
            if given or taken:
                messages.success(
                    request,
                    _("Roles of %(name)s saved; they were told by email.")
                    % {"name": account.get_full_name() or account.email},
                )
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("backoffice:roles")
    return render(request, "backoffice/people/roles/edit.html", {"account": account, "form": form})

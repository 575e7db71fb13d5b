"""Staff issue a one-time linking code, emailed to the dossier's address on file."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from guichet.accounts.types import SignedInRequest
from guichet.core.roles import Role
from guichet.core.staff import role_required
from guichet.dossiers.forms.linking import IssueCodeForm
from guichet.dossiers.models import Dossier
from guichet.dossiers.services import linking


@role_required(Role.COUNTER, Role.REGISTRAR)
def issue_code(request: SignedInRequest) -> HttpResponse:
    form = IssueCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        dossier = Dossier.objects.filter(number=form.cleaned_data["number"].strip()).first()
        if dossier is None:
            form.add_error("number", _("No file has this number."))
        elif not dossier.email:
            form.add_error(
                "number",
                _("This file has no email address on file: add one before issuing a code."),
            )
        else:
            linking.issue_linking_code(actor=request.user, dossier=dossier, request=request)
            messages.success(
                request,
                _("A linking code for file %(number)s was sent to %(email)s. It is valid 24 hours.")
                % {"number": dossier.number, "email": linking.mask_email(dossier.email)},
            )
            return redirect("dossiers:staff_issue_code")
    return render(request, "dossiers/linking/staff_issue_code.html", {"form": form})

"""What a request holds, as labelled rows for the person's and the staff's pages."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guichet.dossiers.models import Dossier
from guichet.requests.forms import (
    DossierChangeForm,
    DossierNumberRequestForm,
    EmailOnFileForm,
    GuardianReportForm,
)
from guichet.requests.models import Request, RequestKind


def submitted_rows(service_request: Request) -> dict[str, Any]:
    """``fields``: (label, value) for a file-number request; ``changes``: (label, before,
    after) and ``reason`` for a change request."""
    data = service_request.data or {}
    if service_request.kind == RequestKind.GUARDIAN_REPORT:
        fields = [
            (_("Guardian reported"), data.get("guardian", "")),
            (_("Their email"), data.get("guardian_email", "")),
            (GuardianReportForm.base_fields["reason"].label, data.get("reason", "")),
        ]
        return {"fields": fields, "changes": [], "reason_given": ""}
    if service_request.kind == RequestKind.DOSSIER_NUMBER:
        fields = DossierNumberRequestForm.base_fields
        return {
            "fields": [(field.label, data.get(name, "")) for name, field in fields.items()],
            "changes": [],
            "reason_given": "",
        }
    if service_request.kind == RequestKind.EMAIL_ON_FILE:
        fields = EmailOnFileForm.base_fields
        return {
            "fields": [
                (_("Email on file, which no longer works"), data.get("old_email", "")),
                (_("Address to put on file (the account's, confirmed)"), data.get("new_email")),
                (fields["phone"].label, data.get("phone", "")),
                (fields["message"].label, data.get("message", "")),
            ],
            "changes": [],
            "reason_given": "",
        }
    before, after = data.get("before", {}), data.get("after", {})
    fields = DossierChangeForm.base_fields
    changes = [
        (fields[name].label, before.get(name, ""), after.get(name, ""))
        for name in ("first_name", "last_name", "birth_date")
    ]
    return {"fields": [], "changes": changes, "reason_given": data.get("reason", "")}


def possible_duplicates(service_request: Request, limit: int = 5) -> list[Dossier]:
    """Files that may already be this person's, so staff do not open a second one."""
    data = service_request.data or {}
    if service_request.kind != RequestKind.DOSSIER_NUMBER or not data.get("birth_date"):
        return []
    same_person = Q(
        last_name__iexact=data.get("last_name", ""),
        first_name__iexact=data.get("first_name", ""),
    ) | Q(last_name__iexact=data.get("last_name", ""), birth_date=data["birth_date"])
    if data.get("email"):
        same_person |= Q(email__iexact=data["email"])
    return list(Dossier.objects.filter(same_person).order_by("number")[:limit])

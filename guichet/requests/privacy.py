"""What requests give to a person's archive and erase when their account closes.

Registered with privacy from ``RequestsConfig.ready``. A request's kind, status and dates
stay (the staff queue's history); what the person typed and the reason given are erased.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guichet.dossiers.models import Dossier, DossierLink, GuardianRequest, LinkRole
from guichet.privacy.registry import (
    Closing,
    Contributor,
    Kept,
    Portion,
    SensitiveView,
    Table,
)
from guichet.requests.models import Request


def export(account: Any) -> Portion:
    rows = [
        {
            "id": r.pk,
            "kind": r.get_kind_display(),
            "status": r.get_status_display(),
            "file": r.dossier.number if r.dossier else None,
            "data": r.data,
            "submitted_at": r.submitted_at,
            "decided_at": r.decided_at,
            "reason": r.reason,
        }
        for r in Request.objects.visible_to(account).select_related("dossier").order_by("id")
    ]
    return Portion(tables=[Table("requests", _("Your requests (« My requests »)."), rows)])


def values_of(data: Any) -> list[str]:
    if isinstance(data, dict):
        return [text for value in data.values() for text in values_of(value)]
    if isinstance(data, list):
        return [text for value in data for text in values_of(value)]
    return [str(data)] if isinstance(data, str) else []


def reviewed(kwargs: dict[str, Any]) -> list[Any]:
    found = Request.objects.filter(pk=kwargs.get("pk") or 0).select_related("dossier").first()
    return [found.dossier] if found and found.dossier else []


def guardian_asked(kwargs: dict[str, Any]) -> list[Any]:
    """A request to become a child's guardian shows the child, who asks, and its guardians."""
    asked = GuardianRequest.objects.filter(pk=kwargs.get("pk") or 0).first()
    if asked is None:
        return []
    links = DossierLink.objects.active()
    asking = links.filter(account_id=asked.account_id, role=LinkRole.HOLDER)
    guardians = links.filter(dossier_id=asked.dossier_id, role=LinkRole.GUARDIAN)
    guardians_files = links.filter(account__in=guardians.values("account"), role=LinkRole.HOLDER)
    shown = {
        asked.dossier_id,
        *asking.values_list("dossier_id", flat=True),
        *guardians_files.values_list("dossier_id", flat=True),
    }
    return list(Dossier.objects.filter(pk__in=shown))


def anonymize(closing: Closing) -> dict[str, int]:
    requests = Request.objects.filter(
        Q(submitted_by=closing.account) | Q(dossier__in=[d.pk for d in closing.dossiers])
    )
    for request in requests:
        closing.forget(*values_of(request.data))
    return {"requests_erased": requests.update(data={}, reason="")}


CONTRIBUTOR = Contributor(
    "requests",
    _("Requests"),
    order=400,
    export=export,
    anonymize=anonymize,
    # The staff review shows the file's identity and what the person wrote.
    sensitive_views=(
        SensitiveView("requests:review", "request", reviewed, _("Request under review")),
        SensitiveView(
            "requests:guardian_review",
            "guardian_request",
            guardian_asked,
            _("Request to become a guardian"),
        ),
    ),
    erases=(_("What you wrote in your requests, and the answers' reasons."),),
    kept=(
        Kept(
            _("Each request's kind, status and dates."),
            _("As long as the operator keeps its queue's history"),
            _("It shows how requests were handled; it no longer says what you wrote."),
        ),
    ),
)

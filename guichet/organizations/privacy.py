"""Organizations in the privacy registry (registered from ``OrganizationsConfig.ready``).

A staff review of a form an organization's responsible submitted shows the person who
sent it and the contact it concerns: it is in the register of staff views.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from guichet.dossiers.models import Dossier, DossierLink, LinkRole
from guichet.organizations.models import Submission
from guichet.privacy.registry import Contributor, SensitiveView


def submission_shown(kwargs: dict[str, Any]) -> list[Any]:
    """The sender's own file and the contact the form names (a contact's dossier id)."""
    found = Submission.objects.filter(pk=kwargs.get("pk") or 0).first()
    if found is None:
        return []
    sender = DossierLink.objects.active().filter(account_id=found.submitted_by_id)
    shown = set(sender.filter(role=LinkRole.HOLDER).values_list("dossier_id", flat=True))
    contact = found.payload.get("contact") if isinstance(found.payload, dict) else None
    if isinstance(contact, int):
        shown.add(contact)
    return list(Dossier.objects.filter(pk__in=shown))


CONTRIBUTOR = Contributor(
    "organizations",
    _("Organizations"),
    order=450,
    sensitive_views=(
        SensitiveView(
            "organizations:staff_detail",
            "organization_form",
            submission_shown,
            _("An organization's form under review"),
        ),
    ),
)

"""The back office in the privacy registry: the roster pages that show the answers to an
offering's questions (allergies, medical notes) are in the register of staff views, so
each opening is recorded on every participant's file (privacy.middleware)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from guichet.dossiers.models import Dossier
from guichet.privacy.registry import Contributor, SensitiveView
from guichet.registrations.models import Registration, RegistrationStatus

ON_ROSTERS = (*RegistrationStatus.ACTIVE, RegistrationStatus.WAITING, RegistrationStatus.OFFERED)


def roster_files(kwargs: dict[str, Any]) -> list[Any]:
    """The files whose answers a roster page shows: its participants and waiting list."""
    shown = Registration.objects.filter(offering_id=kwargs.get("pk") or 0, status__in=ON_ROSTERS)
    return list(Dossier.objects.filter(pk__in=shown.values("participant_id")))


CONTRIBUTOR = Contributor(
    "backoffice",
    _("Back office"),
    order=900,
    sensitive_views=(
        SensitiveView("backoffice:roster_answers", "roster_answers", roster_files),
        SensitiveView("backoffice:roster_answers_export", "roster_answers", roster_files),
    ),
)

"""The back office in the privacy registry: the roster pages that show the answers to an
offering's questions (allergies, medical notes) are in the register of staff views, so
each opening is recorded on every participant's file (privacy.middleware); the messages
staff wrote to the participants of the person's registrations are in their archive."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from guichet.backoffice.people.services.messages import messages_for
from guichet.dossiers.models import Dossier
from guichet.privacy.registry import Contributor, Portion, SensitiveView, Table
from guichet.registrations.models import Registration, RegistrationStatus

ON_ROSTERS = (*RegistrationStatus.ACTIVE, RegistrationStatus.WAITING, RegistrationStatus.OFFERED)


def roster_files(kwargs: dict[str, Any]) -> list[Any]:
    """The files whose answers a roster page shows: its participants and waiting list."""
    shown = Registration.objects.filter(offering_id=kwargs.get("pk") or 0, status__in=ON_ROSTERS)
    return list(Dossier.objects.filter(pk__in=shown.values("participant_id")))


def export(account: Any) -> Portion:
    rows = [
        {
            "sent_at": message.sent_at,
            "offering": message.offering.title_fr,
            "session_starts_at": message.session.starts_at if message.session else None,
            "subject": message.subject,
            "message": message.body,
            "subject_en": message.subject_en,
            "message_en": message.body_en,
        }
        for message in messages_for(account).order_by("sent_at", "pk")
    ]
    description = _("Messages the staff wrote to the participants of your registrations.")
    return Portion(tables=[Table("messages", description, rows)])


CONTRIBUTOR = Contributor(
    "backoffice",
    _("Back office"),
    order=900,
    export=export,
    sensitive_views=(
        SensitiveView("backoffice:roster_answers", "roster_answers", roster_files),
        SensitiveView("backoffice:roster_answers_export", "roster_answers", roster_files),
    ),
)

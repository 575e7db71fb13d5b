"""The back office in the privacy registry: the pages that show people's information are
in the register of staff views, so each opening is recorded on every file shown
(privacy.middleware): the rosters (with or without the answers to an offering's
questions — allergies, medical notes), their exports, the attendance sheet, and the
counter's pages for one person, one invoice or one receipt. The messages staff wrote
to the participants of the person's registrations are in their archive."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from guichet.backoffice.people.services.messages import messages_for
from guichet.billing.models import Invoice, Payment
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


def counter_person(kwargs: dict[str, Any]) -> list[Any]:
    return list(Dossier.objects.filter(pk=kwargs.get("pk") or 0))


def counter_invoice(kwargs: dict[str, Any]) -> list[Any]:
    found = Invoice.objects.filter(pk=kwargs.get("pk") or 0).select_related("payer_dossier")
    return [invoice.payer_dossier for invoice in found if invoice.payer_dossier]


def counter_receipt(kwargs: dict[str, Any]) -> list[Any]:
    found = Payment.objects.filter(pk=kwargs.get("pk") or 0).select_related(
        "invoice__payer_dossier"
    )
    return [paid.invoice.payer_dossier for paid in found if paid.invoice.payer_dossier]


CONTRIBUTOR = Contributor(
    "backoffice",
    _("Back office"),
    order=900,
    export=export,
    sensitive_views=(
        SensitiveView("backoffice:roster", "roster", roster_files, _("Roster")),
        SensitiveView("backoffice:roster_export", "roster", roster_files, _("Roster")),
        SensitiveView("backoffice:attendance", "attendance", roster_files, _("Attendance sheet")),
        SensitiveView(
            "backoffice:counter_register",
            "counter_file",
            counter_person,
            _("Counter: a person's file"),
        ),
        SensitiveView(
            "backoffice:counter_payment",
            "counter_invoice",
            counter_invoice,
            _("Counter: an invoice"),
        ),
        SensitiveView(
            "backoffice:counter_receipt",
            "counter_receipt",
            counter_receipt,
            _("Counter: a receipt"),
        ),
        SensitiveView(
            "backoffice:roster_answers",
            "roster_answers",
            roster_files,
            _("Roster with the answers to questions"),
        ),
        SensitiveView(
            "backoffice:roster_answers_export",
            "roster_answers",
            roster_files,
            _("Roster with the answers to questions"),
        ),
    ),
)

"""Messages to an offering's participants (a class cancelled, a room changed), written by
Inscriptions for every offering and by Animation for the offerings they lead.

Each registration on the roster (held, waiting for payment, confirmed; not the waiting
list) is written to: a child's guardians, an adult participant (their account, else the
address of their file). One email per address, in that person's language (English falls
back to French), through core's mail path; the message, the registrations it was about and
the audit row are written in one transaction, and the emails leave once it commits. The
participants read it again in « Mon dossier » (« Mes messages »).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from guichet.accounts.types import Actor
from guichet.audit.models import Action, Right
from guichet.audit.services import record
from guichet.backoffice.models import (
    OfferingLeader,
    ParticipantMessage,
    ParticipantMessageRecipient,
)
from guichet.catalog.models import Offering, Session
from guichet.core.mail import send_templated
from guichet.core.roles import Role
from guichet.core.staff import current_role, has_role
from guichet.dossiers.models import DossierLink, LinkRole
from guichet.registrations.models import Registration, RegistrationStatus

# Who writes to participants: Inscriptions for every offering, Animation for their own.
MESSAGE_ROLES = (Role.REGISTRAR, Role.ANIMATION)


def may_message(user: Any, offering: Offering) -> bool:
    if has_role(user, Role.REGISTRAR):
        return True
    return (
        has_role(user, Role.ANIMATION)
        and OfferingLeader.objects.filter(offering=offering, account=user).exists()
    )


def sent_for(offering: Offering) -> QuerySet[ParticipantMessage]:
    return offering.participant_messages.select_related("sent_by", "session")


def _in(language: str, french: str, english: str) -> str:
    return english if language == "en" and english.strip() else french


@dataclass(frozen=True)
class Address:
    email: str
    language: str  # "fr" or "en"


def _language(value: str) -> str:
    return "en" if str(value or "").startswith("en") else "fr"


def _registrations(offering: Offering) -> QuerySet[Registration]:
    links = (
        DossierLink.objects.active()
        .filter(role__in=(LinkRole.GUARDIAN, LinkRole.HOLDER))
        .select_related("account")
    )
    return (
        Registration.objects.filter(offering=offering, status__in=RegistrationStatus.ACTIVE)
        .select_related("participant")
        .prefetch_related(Prefetch("participant__links", queryset=links, to_attr="message_links"))
        .order_by("pk")
    )


def addresses_of(registration: Registration) -> list[Address]:
    """Who answers for the participant: a child's guardians; an adult (or a child with no
    guardian on file) themself, at their account's address, else their file's."""
    participant = registration.participant
    links: list[DossierLink] = getattr(participant, "message_links", [])
    found = [
        Address(link.account.email, _language(link.account.language))
        for link in links
        if link.role == LinkRole.GUARDIAN and link.account.email
    ]
    if not found or participant.is_adult(timezone.localdate()):
        holders = [link.account for link in links if link.role == LinkRole.HOLDER]
        if holders and holders[0].email:
            found.insert(0, Address(holders[0].email, _language(holders[0].language)))
        elif participant.email:
            found.insert(0, Address(participant.email, _language(participant.language)))
    return found


@transaction.atomic
def send_to_participants(
    offering: Offering,
    *,
    session: Session | None,
    subject: str,
    subject_en: str,
    body: str,
    body_en: str,
    actor: Actor,
    request: HttpRequest | None = None,
) -> ParticipantMessage:
    """Record the message and the registrations it is about, audit it, and queue one email
    per address (a guardian of two participants gets one)."""
    if not may_message(actor, offering):
        raise PermissionError
    if session is not None and session.offering_id != offering.pk:
        raise PermissionError
    message = ParticipantMessage.objects.create(
        offering=offering,
        session=session,
        subject=subject,
        subject_en=subject_en,
        body=body,
        body_en=body_en,
        sent_by=actor if getattr(actor, "pk", None) else None,
        role=(getattr(request, "acting_role", "") if request else "") or current_role(),
    )
    registrations = list(_registrations(offering))
    ParticipantMessageRecipient.objects.bulk_create(
        ParticipantMessageRecipient(message=message, registration=registration)
        for registration in registrations
    )
    addresses: dict[str, Address] = {}
    for registration in registrations:
        for address in addresses_of(registration):
            addresses.setdefault(address.email.lower(), address)
    for address in addresses.values():
        send_templated(
            "backoffice/people/email/participants",
            to=address.email,
            language=address.language,
            context={
                "offering": offering,
                "session": session,
                "subject": _in(address.language, subject, subject_en),
                "body": _in(address.language, body, body_en),
                "site_url": settings.GUICHET_SITE_URL,
            },
        )
    message.emails_count = len(addresses)
    message.save(update_fields=["emails_count"])
    record(
        Action.PARTICIPANTS_MESSAGED,
        actor=actor,
        right=Right.STAFF,
        request=request,
        data={
            "offering": offering.pk,
            "session": session.pk if session else None,
            "message": message.pk,
            "registrations": len(registrations),
            "emails": len(addresses),
        },
    )
    return message


def messages_for(user: Any) -> QuerySet[ParticipantMessage]:
    """The messages about registrations ``user`` may see (their own, their children's, the
    people they registered): what « Mes messages » lists."""
    visible = Registration.objects.visible_to(user)
    return (
        ParticipantMessage.objects.filter(recipients__registration__in=visible)
        .select_related("offering", "session")
        .distinct()
    )

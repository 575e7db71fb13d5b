"""Issuing, revoking and re-issuing attestations; each write audited in its transaction.

Issuing is idempotent: asking again for the attestation of a registration, a title awarded
or a membership that already has a valid one returns it (database constraints back this).
Revoking keeps the row: its verification page says « révoquée » from then on.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from guichet.audit.models import Action, Right
from guichet.audit.services import record
from guichet.catalog.models import OfferingKind
from guichet.core.mail import send_templated
from guichet.credentials import documents
from guichet.credentials.membership import MembershipFacts
from guichet.credentials.models import (
    Attestation,
    AttestationKind,
    AttestationStatus,
    TitleAward,
)
from guichet.dossiers import permissions
from guichet.dossiers.models import Dossier
from guichet.registrations.models import Registration, RegistrationStatus

logger = logging.getLogger(__name__)

# What an attestation states, kept in both languages as issued.
ATTENDED = gettext_noop("Attended the training “%(title)s”")
HOLDS_TITLE = gettext_noop("Holds the title %(name)s")
MEMBER_OF_TYPE = gettext_noop("Member (%(type)s)")
MEMBER = gettext_noop("Member")


class NotAttestable(ValueError):
    """The fact cannot be attested (not attended, already revoked…)."""


def _in_both_languages(
    message: str, french: dict[str, str] | None = None, english: dict[str, str] | None = None
) -> tuple[str, str]:
    """A sentence as the attestation states it, in French and in English."""
    with override("fr"):
        in_french = _(message) % (french or {}) if french else _(message)
    with override("en"):
        values = english or french
        in_english = _(message) % values if values else _(message)
    return in_french, in_english


def _issue(
    attestation: Attestation, *, actor: Any, right: Right, request: HttpRequest | None
) -> Attestation:
    attestation.issued_by = actor if getattr(actor, "pk", None) else None
    attestation.save(force_insert=True)
    record(
        Action.ATTESTATION_ISSUED,
        actor=actor,
        dossier=attestation.dossier,
        right=right,
        request=request,
        data={
            "attestation": attestation.pk,
            "kind": attestation.kind,
            "replaces": attestation.replaces_id,
        },
    )
    return attestation


@transaction.atomic
def issue_for_attendance(
    registration: Registration,
    *,
    actor: Any = None,
    right: Right = Right.SYSTEM,
    request: HttpRequest | None = None,
) -> Attestation:
    """The attendance attestation of a training the participant attended."""
    registration = Registration.objects.select_related("offering", "participant").get(
        pk=registration.pk
    )
    offering = registration.offering
    if not (
        registration.attended
        and registration.status == RegistrationStatus.CONFIRMED
        and offering.kind == OfferingKind.TRAINING
    ):
        raise NotAttestable("Only an attended training is attested.")
    existing = Attestation.objects.valid().filter(registration=registration).first()
    if existing is not None:
        return existing
    subject, subject_en = _in_both_languages(
        ATTENDED,
        {"title": offering.title_fr or offering.title},
        {"title": offering.title_en or offering.title_fr or offering.title},
    )
    attestation = Attestation(
        kind=AttestationKind.ATTENDANCE,
        dossier=registration.participant,
        holder_name=registration.participant.display_name,
        subject=subject,
        subject_en=subject_en,
        hours=offering.hours,
        attested_on=offering.ends_on,
        registration=registration,
    )
    try:
        with transaction.atomic():
            return _issue(attestation, actor=actor, right=right, request=request)
    except IntegrityError:  # issued at the same moment by another request
        return Attestation.objects.valid().get(registration=registration)


@transaction.atomic
def issue_for_title(
    award: TitleAward,
    *,
    actor: Any = None,
    right: Right = Right.SYSTEM,
    request: HttpRequest | None = None,
) -> Attestation:
    """The certificate of a title awarded."""
    award = TitleAward.objects.select_related("program", "dossier").get(pk=award.pk)
    existing = Attestation.objects.valid().filter(award=award).first()
    if existing is not None:
        return existing
    program = award.program
    subject, subject_en = _in_both_languages(
        HOLDS_TITLE, {"name": program.name}, {"name": program.name_en or program.name}
    )
    attestation = Attestation(
        kind=AttestationKind.TITLE,
        dossier=award.dossier,
        holder_name=award.dossier.display_name,
        subject=subject,
        subject_en=subject_en,
        attested_on=award.awarded_on,
        award=award,
    )
    return _issue(attestation, actor=actor, right=right, request=request)


@transaction.atomic
def issue_for_membership(
    dossier: Dossier,
    facts: MembershipFacts,
    *,
    actor: Any = None,
    right: Right = Right.SYSTEM,
    request: HttpRequest | None = None,
) -> Attestation:
    """The attestation of a membership that started on ``facts.starts_on`` (today if
    unknown)."""
    starts_on = facts.starts_on or timezone.localdate()
    existing = (
        Attestation.objects.valid()
        .filter(dossier=dossier, kind=AttestationKind.MEMBERSHIP, attested_on=starts_on)
        .first()
    )
    if existing is not None:
        return existing
    if facts.member_type:
        subject, subject_en = _in_both_languages(MEMBER_OF_TYPE, {"type": facts.member_type})
    else:
        subject, subject_en = _in_both_languages(MEMBER)
    attestation = Attestation(
        kind=AttestationKind.MEMBERSHIP,
        dossier=dossier,
        holder_name=dossier.display_name,
        subject=subject,
        subject_en=subject_en,
        attested_on=starts_on,
        valid_until=facts.ends_on,
    )
    return _issue(attestation, actor=actor, right=right, request=request)


def tell_member(attestation_pk: int) -> bool:
    """The member's one email when a membership starts: the welcome, with the signed
    attestation attached as a PDF (and the links to « Voir » it in « Mon dossier » and to
    its verification page), in the holder's language. Run by ``tasks.tell_member`` once
    the transaction that started the membership commits. False when there is nothing to
    send (revoked meanwhile, nobody has an address)."""
    attestation = (
        Attestation.objects.valid().select_related("dossier").filter(pk=attestation_pk).first()
    )
    if attestation is None:
        return False
    dossier = attestation.dossier
    holder = permissions.holder_of(dossier)
    address = holder.email if holder is not None else dossier.email
    if not address:
        return False
    language = getattr(holder, "language", "") or dossier.language or settings.LANGUAGE_CODE
    try:
        attachments = [
            (
                f"attestation-{attestation.code}.pdf",
                documents.attestation_pdf(attestation, language=language),
                "application/pdf",
            )
        ]
    except Exception:  # the welcome still goes, with the link to the PDF
        logger.exception("The attestation %s could not be drawn for its email", attestation.pk)
        attachments = []
    site = settings.GUICHET_SITE_URL
    send_templated(
        "credentials/email/membership_attestation",
        to=address,
        context={
            "attestation": attestation,
            "dossier": dossier,
            "attached": bool(attachments),
            "url": site + reverse("dossiers:attestation_pdf", args=[attestation.pk]),
            "verify_url": site + reverse("credentials:verify", args=[attestation.code]),
        },
        language=language,
        attachments=attachments,
    )
    return True


@transaction.atomic
def revoke(
    attestation: Attestation,
    *,
    reason: str,
    actor: Any,
    right: Right = Right.STAFF,
    request: HttpRequest | None = None,
) -> Attestation:
    """Revoke with a reason; the verification page says so from now on."""
    reason = reason.strip()
    if not reason:
        raise NotAttestable("A revocation needs a reason.")
    locked = Attestation.objects.select_for_update().get(pk=attestation.pk)
    if locked.status == AttestationStatus.REVOKED:
        raise NotAttestable("Already revoked.")
    locked.status = AttestationStatus.REVOKED
    locked.revoked_at = timezone.now()
    locked.revoked_by = actor if getattr(actor, "pk", None) else None
    locked.revocation_reason = reason
    locked.save(update_fields=["status", "revoked_at", "revoked_by", "revocation_reason"])
    record(
        Action.ATTESTATION_REVOKED,
        actor=actor,
        dossier=locked.dossier,
        right=right,
        request=request,
        data={"attestation": locked.pk, "kind": locked.kind, "reason": reason},
    )
    return locked


@transaction.atomic
def reissue(
    attestation: Attestation,
    *,
    actor: Any,
    reason: str = "",
    request: HttpRequest | None = None,
) -> Attestation:
    """A new attestation (new code) stating the same facts under the person's current name;
    the old one is revoked first if it was still valid. Staff only."""
    old = Attestation.objects.select_for_update().select_related("dossier").get(pk=attestation.pk)
    if Attestation.objects.filter(replaces=old).exists():
        raise NotAttestable("Already re-issued.")
    if old.status == AttestationStatus.VALID:
        with override("fr"):
            default = _("Replaced by a new attestation.")
        old = revoke(old, reason=reason or default, actor=actor, request=request)
    new = Attestation(
        kind=old.kind,
        dossier=old.dossier,
        holder_name=old.dossier.display_name,
        subject=old.subject,
        subject_en=old.subject_en,
        hours=old.hours,
        attested_on=old.attested_on,
        valid_until=old.valid_until,
        registration=old.registration,
        award=old.award,
        replaces=old,
    )
    return _issue(new, actor=actor, right=Right.STAFF, request=request)

"""Credentials observe two facts others write: attendance marked on a registration, and a
membership that starts. The writes are not ours to fail: each reaction runs in a savepoint
of its own and a failure is logged (the attestation can be issued again later; issuing is
idempotent)."""

from __future__ import annotations

import datetime
import logging
from functools import partial
from typing import Any

from django.db import DatabaseError, transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from guichet.audit.models import Right
from guichet.catalog.models import OfferingKind
from guichet.credentials import membership, tasks
from guichet.credentials.membership import MembershipFacts
from guichet.credentials.models import Attestation, AttestationKind
from guichet.credentials.services import attestations, titles
from guichet.dossiers.models import Dossier
from guichet.registrations.models import Registration, RegistrationStatus

logger = logging.getLogger(__name__)


def connect() -> None:
    post_save.connect(
        on_registration_saved, sender=Registration, dispatch_uid="credentials.attendance"
    )
    membership.membership_started.connect(
        on_membership_started, dispatch_uid="credentials.membership_started"
    )


def on_registration_saved(
    sender: type[Registration], instance: Registration, created: bool, **kwargs: Any
) -> None:
    update_fields = kwargs.get("update_fields")
    if not created and update_fields is not None and "attended" not in update_fields:
        return
    if created and not instance.attended:
        return
    try:
        with transaction.atomic():
            react_to_attendance(instance)
    except DatabaseError:
        logger.exception("Could not update the attestations of registration %s", instance.pk)


def react_to_attendance(registration: Registration) -> None:
    """Attended: its attestation, and the title if this completes it. No longer attended:
    its attestation is revoked."""
    is_training = registration.offering.kind == OfferingKind.TRAINING
    if (
        registration.attended
        and registration.status == RegistrationStatus.CONFIRMED
        and is_training
    ):
        attestations.issue_for_attendance(registration)
        titles.award_if_earned(registration.participant)
        return
    for attestation in Attestation.objects.valid().filter(registration=registration):
        with override("fr"):
            reason = _("Attendance withdrawn by the organizer's staff.")
        attestations.revoke(attestation, reason=reason, actor=None, right=Right.SYSTEM)


def on_membership_started(sender: Any, **kwargs: Any) -> bool:
    """Issue the membership attestation (and award the title if membership was all that
    was missing). A new attestation goes to the member in the one email that welcomes
    them, the PDF attached (``tasks.tell_member``, once committed); True tells memberships
    that its own welcome is not needed."""
    found = kwargs.get("membership")
    dossier: Dossier | None = kwargs.get("dossier") or getattr(found, "dossier", None)
    if dossier is None:
        return False
    facts = MembershipFacts(
        member_type=str(kwargs.get("member_type") or getattr(found, "member_type", "") or ""),
        starts_on=_day(kwargs.get("starts_on") or getattr(found, "starts_on", None)),
        ends_on=_day(kwargs.get("ends_on") or getattr(found, "ends_on", None)),
    )
    try:
        with transaction.atomic():
            before = set(
                Attestation.objects.valid()
                .filter(dossier=dossier, kind=AttestationKind.MEMBERSHIP)
                .values_list("pk", flat=True)
            )
            attestation = attestations.issue_for_membership(dossier, facts)
            titles.award_if_earned(dossier)
            if attestation.pk not in before:  # a new one: the member gets it by email
                transaction.on_commit(partial(tasks.tell_member.delay, attestation.pk), robust=True)
    except DatabaseError:
        logger.exception("Could not issue the membership attestation of dossier %s", dossier.pk)
        return False
    return True


def _day(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value)
    if isinstance(value, datetime.date):
        return value
    return None

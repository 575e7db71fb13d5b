"""Awarding a title once its requirements are met, with its certificate."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from guichet.audit.models import Action, Right
from guichet.audit.services import record
from guichet.credentials import membership, progress
from guichet.credentials.models import TitleAward
from guichet.credentials.services import attestations
from guichet.credentials.services.programs import current_program
from guichet.dossiers.models import Dossier


@transaction.atomic
def award_if_earned(
    dossier: Dossier,
    *,
    day: datetime.date | None = None,
    actor: Any = None,
    right: Right = Right.SYSTEM,
    request: HttpRequest | None = None,
) -> TitleAward | None:
    """Award the operator's title to a person whose completed trainings meet its rules
    (and who is a member, where the title requires it); issue its certificate. Returns the
    award made now, or None (not earned, or already held)."""
    program = current_program()
    if program is None:
        return None
    today = day or timezone.localdate()
    if TitleAward.objects.filter(program=program, dossier=dossier).exists():
        return None
    if program.requires_membership and not membership.is_member(dossier, today):
        return None
    courses = list(program.required_courses.all())
    completed = progress.completed_trainings(dossier, today)
    earned = progress.earned_on(program, courses, completed)
    if earned is None:
        return None
    try:
        with transaction.atomic():
            award = TitleAward.objects.create(program=program, dossier=dossier, awarded_on=earned)
    except IntegrityError:  # awarded at the same moment by another request
        return None
    record(
        Action.TITLE_AWARDED,
        actor=actor,
        dossier=dossier,
        right=right,
        request=request,
        data={"program": program.slug, "awarded_on": earned.isoformat()},
    )
    attestations.issue_for_title(award, actor=actor, right=right, request=request)
    return award

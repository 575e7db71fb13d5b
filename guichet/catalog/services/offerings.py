"""Staff write offerings here (the back office's pages call these): one transaction, the
French text mirrored into the unsuffixed columns, one audit row naming the staff role.

Spots taken (``Offering.spots_taken``, ``Option.taken``) are never written here: they move
only through the registrations services."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils.text import slugify

from guichet.audit.models import Action, Right
from guichet.audit.services import record
from guichet.catalog.bilingual import in_french
from guichet.catalog.models import Offering, Option, Question, Session


def written_by_staff(model: type[Model], counters: set[str]) -> list[str]:
    """The columns a staff save writes: all but the id, the creation time and ``counters``
    (read at call time: the translation columns are added once the apps are ready)."""
    return [
        f.name for f in model._meta.concrete_fields if f.name not in {"id", "created_at", *counters}
    ]


@dataclass
class Related:
    """The rows of one kind attached to an offering, as a staff form left them."""

    saved: Sequence[Model] = ()
    deleted: Sequence[Model] = ()


@dataclass
class OfferingChanges:
    sessions: Related = field(default_factory=Related)
    options: Related = field(default_factory=Related)
    questions: Related = field(default_factory=Related)


def save_offering(
    offering: Offering,
    changes: OfferingChanges,
    *,
    actor: Any,
    role: str,
    changed: Iterable[str] = (),
) -> Offering:
    """Create or update ``offering`` with its sessions, options and questions; record
    ``catalog.offering_created`` or ``catalog.offering_changed`` with the fields changed."""
    with transaction.atomic(), in_french():
        return _save_offering(offering, changes, actor=actor, role=role, changed=changed)


def _save_offering(
    offering: Offering, changes: OfferingChanges, *, actor: Any, role: str, changed: Iterable[str]
) -> Offering:
    created = offering.pk is None
    if created:
        offering.save()
    else:
        # Never the counters: a registration may have moved them since the page was read.
        offering.save(update_fields=written_by_staff(Offering, {"spots_taken"}))
    for related in (changes.sessions, changes.options, changes.questions):
        for row in related.deleted:
            if isinstance(row, Option) and row.taken:
                continue  # chosen by someone: kept (the form says so)
            row.delete()
        for row in related.saved:
            row.offering = offering  # type: ignore[attr-defined]
            if isinstance(row, Option) and row.pk is not None:
                row.save(update_fields=written_by_staff(Option, {"taken"}))  # never ``taken``
            else:
                row.save()
    record(
        Action.OFFERING_CREATED if created else Action.OFFERING_CHANGED,
        actor=actor,
        right=Right.STAFF,
        data={"offering": offering.pk, "role": role, "changed": sorted(changed)},
    )
    return offering


def free_slug(base: str) -> str:
    """``base``, or ``base-2``, ``base-3``… the first not taken (200 characters at most)."""
    base = slugify(base)[:190] or "offre"
    taken = set(Offering.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def copy_offerings(
    offerings: Iterable[Offering],
    *,
    shift: timedelta,
    suffix: str,
    actor: Any,
    role: str,
) -> list[Offering]:
    """Copy each offering with its sessions, options and questions, every date moved by
    ``shift`` (whole weeks keep the weekdays). The copies are unpublished, with no spot
    taken; documents are not copied (each edition has its own)."""
    copies: list[Offering] = []
    pairs: dict[str, int] = {}
    for offering in offerings:
        original_pk = offering.pk
        sessions = list(offering.sessions.all())
        options = list(offering.options.all())
        questions = list(offering.questions.all())
        copy = offering  # the caller's instance becomes the copy: it is not saved over
        copy.pk = None
        copy.slug = free_slug(f"{copy.slug}-{suffix}")
        copy.spots_taken = 0
        copy.published = False
        copy.starts_on += shift
        copy.ends_on += shift
        copy.registration_opens_at += shift
        copy.registration_closes_at += shift
        copy.change_deadline += shift
        if copy.residents_first_until is not None:
            copy.residents_first_until += shift
        copy._state.adding = True
        copy.save(force_insert=True)
        for session in sessions:
            session.pk = None
            session.offering = copy
            session.starts_at += shift
            session.ends_at += shift
        Session.objects.bulk_create(sessions)
        for option in options:
            option.pk = None
            option.offering = copy
            option.taken = 0
        Option.objects.bulk_create(options)
        for question in questions:
            question.pk = None
            question.offering = copy
        Question.objects.bulk_create(questions)
        copies.append(copy)
        pairs[str(original_pk)] = copy.pk
    record(
        Action.SEASON_COPIED,
        actor=actor,
        right=Right.STAFF,
        data={"role": role, "shift_days": shift.days, "copies": pairs},
    )
    return copies

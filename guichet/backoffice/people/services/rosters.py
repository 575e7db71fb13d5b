"""Rosters: who is registered in an offering (every kind: activities, day camps, trainings,
events), with age, contacts, options, payment status and — for the roles that need them —
the answers to the offering's questions (allergies, medical notes); the waiting list in
its order; and the rows an export writes.

Who sees which roster: Inscriptions and Accueil every offering's; Animation only the
offerings they lead (``OfferingLeader``). The answers only Inscriptions, and Animation for
their own offerings (Administration holds both); the pages that show them are registered
with the privacy app's register of staff views (``backoffice.privacy``).

Every roster reads in a fixed number of queries, whatever its number of rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from guichet.backoffice.models import OfferingLeader
from guichet.catalog.models import Offering, Question, Session
from guichet.core.roles import Role
from guichet.core.staff import has_role
from guichet.dossiers.models import DossierLink, LinkRole
from guichet.registrations.models import Registration, RegistrationOption, RegistrationStatus

# Who opens rosters at all, and who reads the answers to questions.
ROSTER_ROLES = (Role.REGISTRAR, Role.COUNTER, Role.ANIMATION)
ALL_OFFERINGS_ROLES = (Role.REGISTRAR, Role.COUNTER)


def offerings_for(user: Any) -> QuerySet[Offering]:
    """The offerings whose roster ``user`` may open."""
    if has_role(user, *ALL_OFFERINGS_ROLES):
        return Offering.objects.all()
    if has_role(user, Role.ANIMATION):
        return Offering.objects.filter(leaders__account=user)
    return Offering.objects.none()


def offering_for(user: Any, pk: int) -> Offering:
    """The offering, or 404 to a role that may not open its roster."""
    found = offerings_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def leads(user: Any, offering: Offering) -> bool:
    return OfferingLeader.objects.filter(offering=offering, account=user).exists()


def may_read_answers(user: Any, offering: Offering) -> bool:
    """Inscriptions (and Administration) for every offering; Animation for their own."""
    if has_role(user, Role.REGISTRAR):
        return True
    return has_role(user, Role.ANIMATION) and leads(user, offering)


def session_of(offering: Offering, pk: str | None) -> Session | None:
    """The session named in the page's address (``?seance=``), if it is the offering's."""
    if not pk or not pk.isdigit():
        return None
    return offering.sessions.filter(pk=int(pk)).first()


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    phone: str

    def __str__(self) -> str:
        return " · ".join(part for part in (self.name, self.phone, self.email) if part)


@dataclass
class RosterRow:
    registration: Registration
    age: int | None
    contacts: list[Contact] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)

    @property
    def participant(self) -> Any:
        return self.registration.participant

    @property
    def amount_due(self) -> Decimal:
        return self.registration.amount_due

    @property
    def paid(self) -> bool:
        """Confirmed registrations are paid or owe nothing; the rest still wait."""
        return self.registration.status == RegistrationStatus.CONFIRMED


@dataclass
class Roster:
    offering: Offering
    questions: list[Question]
    participants: list[RosterRow]
    waiting: list[RosterRow]


def _phone(dossier: Any) -> str:
    return str(dossier.mobile_phone or dossier.home_phone or dossier.work_phone or "")


def _localized(thing: Any, name: str) -> str:
    english = getattr(thing, f"{name}_en", "")
    if english and not (translation.get_language() or "fr").startswith("fr"):
        return str(english)
    return str(getattr(thing, name))


def _registrations(offering: Offering, statuses: Sequence[str]) -> QuerySet[Registration]:
    guardians = DossierLink.objects.filter(role=LinkRole.GUARDIAN, ended_at=None).select_related(
        "account"
    )
    return (
        Registration.objects.filter(offering=offering, status__in=statuses)
        .select_related("participant")
        .prefetch_related(
            Prefetch("participant__links", queryset=guardians, to_attr="guardian_links"),
            Prefetch(
                "option_lines",
                queryset=RegistrationOption.objects.select_related("option").order_by(
                    "option__position", "pk"
                ),
            ),
        )
    )


def _rows(
    registrations: Iterable[Registration], questions: list[Question], day: datetime.date
) -> list[RosterRow]:
    registrations = list(registrations)
    # The guardians' own files hold their phone numbers: one query for all of them.
    guardian_ids = {
        link.account_id for registration in registrations for link in _guardians(registration)
    }
    phones = {
        link.account_id: _phone(link.dossier)
        for link in DossierLink.objects.filter(
            account_id__in=guardian_ids, role=LinkRole.HOLDER, ended_at=None
        ).select_related("dossier")
    }
    rows = []
    for registration in registrations:
        participant = registration.participant
        contacts = [
            Contact(
                link.account.get_full_name() or link.account.email,
                link.account.email,
                phones.get(link.account_id, ""),
            )
            for link in _guardians(registration)
        ]
        if not contacts or participant.is_adult(day):
            contacts.insert(
                0, Contact(participant.display_name, participant.email, _phone(participant))
            )
        options = [
            _localized(line.option, "name")
            + (f" × {line.quantity}" if line.quantity > 1 else "")
            + (f" ({line.companion_name})" if line.companion_name else "")
            for line in registration.option_lines.all()
        ]
        answers = [_answer(registration.answers, question) for question in questions]
        rows.append(RosterRow(registration, participant.age_on(day), contacts, options, answers))
    return rows


def _guardians(registration: Registration) -> list[DossierLink]:
    """The participant's guardians (prefetched by ``_registrations`` as ``guardian_links``)."""
    found: list[DossierLink] = getattr(registration.participant, "guardian_links", [])
    return found


def _answer(answers: dict[str, Any], question: Question) -> str:
    """The answer as given: stored under the question's label (or its id)."""
    value = answers.get(question.label, answers.get(str(question.pk), ""))
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value or "")


def roster(offering: Offering) -> Roster:
    """The participants (held, waiting for payment, confirmed) by name, and the waiting
    list (waiting, and offered a spot) in its order: a fixed number of queries."""
    questions = list(offering.questions.order_by("position", "pk"))
    day = offering.starts_on
    participants = _rows(
        _registrations(offering, RegistrationStatus.ACTIVE).order_by(
            "participant__last_name", "participant__first_name", "pk"
        ),
        questions,
        day,
    )
    waiting = _rows(
        _registrations(offering, (RegistrationStatus.WAITING, RegistrationStatus.OFFERED)).order_by(
            "created_at", "pk"
        ),
        questions,
        day,
    )
    return Roster(offering, questions, participants, waiting)


def may_mark_attendance(user: Any, offering: Offering) -> bool:
    """Inscriptions for every offering; Animation for the offerings they lead."""
    if has_role(user, Role.REGISTRAR):
        return True
    return has_role(user, Role.ANIMATION) and leads(user, offering)


def roster_size(offering: Offering) -> int:
    """How many participants (held, waiting for payment, confirmed) a roster holds."""
    return Registration.objects.filter(
        offering=offering, status__in=RegistrationStatus.ACTIVE
    ).count()

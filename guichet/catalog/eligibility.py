"""Who may register to an offering, and at which price: pure functions, no queries.

``check()`` answers with the reasons a participant may not register *now*, in the
language active at the call, so that the catalog, the cart and the registration
services all explain a refusal with the same words. Moments are shown in
America/Montreal, whatever the server's clock zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guichet.core.dates import format_date, format_time

if TYPE_CHECKING:
    from guichet.catalog.models import Offering
    from guichet.dossiers.models import Dossier


@dataclass(frozen=True)
class Price:
    category: str  # « Membre », « Non-membre »
    amount: Decimal
    is_member: bool


def local_date_and_time(moment: datetime) -> tuple[str, str]:
    """A moment as the people of the operator read it: « 1er décembre 2026 », « 19 h »."""
    return format_date(moment), format_time(moment)


def window_reasons(offering: Offering, at: datetime) -> list[str]:
    if at < offering.registration_opens_at:
        day, clock = local_date_and_time(offering.registration_opens_at)
        return [_("Registration opens on %(date)s at %(time)s.") % {"date": day, "time": clock}]
    if at >= offering.registration_closes_at:
        day, clock = local_date_and_time(offering.registration_closes_at)
        return [_("Registration closed on %(date)s at %(time)s.") % {"date": day, "time": clock}]
    return []


def age_rule(offering: Offering) -> str:
    """The age range in words, or "" when the offering has none."""
    values = {
        "min": offering.min_age,
        "max": offering.max_age,
        "date": format_date(offering.starts_on),
    }
    if offering.min_age is not None and offering.max_age is not None:
        return _("This activity is for ages %(min)s to %(max)s (age on %(date)s).") % values
    if offering.min_age is not None:
        return _("This activity is for ages %(min)s and over (age on %(date)s).") % values
    if offering.max_age is not None:
        return _("This activity is for ages %(max)s and under (age on %(date)s).") % values
    return ""


def age_fits(offering: Offering, age: int) -> bool:
    too_young = offering.min_age is not None and age < offering.min_age
    too_old = offering.max_age is not None and age > offering.max_age
    return not (too_young or too_old)


def age_reasons(offering: Offering, participant: Dossier) -> list[str]:
    if offering.min_age is None and offering.max_age is None:
        return []
    age = participant.age_on(offering.starts_on)
    if age is None:
        return [_("A birth date on file is needed to register to this activity.")]
    return [] if age_fits(offering, age) else [age_rule(offering)]


def residency_reasons(offering: Offering, participant: Dossier, at: datetime) -> list[str]:
    if participant.is_resident:
        return []
    if offering.residents_only:
        return [_("This activity is for residents only.")]
    if offering.residents_first_until and at < offering.residents_first_until:
        day, clock = local_date_and_time(offering.residents_first_until)
        return [
            _("Until %(date)s at %(time)s, registration is open to residents only.")
            % {"date": day, "time": clock}
        ]
    return []


def check(
    offering: Offering, participant_dossier: Dossier, *, at: datetime | None = None
) -> list[str]:
    """Why ``participant_dossier`` may not register to ``offering`` at ``at`` (empty: may)."""
    moment = at or timezone.now()
    return window_reasons(offering, moment) + participant_reasons(
        offering, participant_dossier, at=moment
    )


def participant_reasons(
    offering: Offering, participant_dossier: Dossier, *, at: datetime | None = None
) -> list[str]:
    """The rules about the person only (age, membership, residency), not the window."""
    moment = at or timezone.now()
    reasons = age_reasons(offering, participant_dossier)
    if offering.members_only and not participant_dossier.is_member_on(offering.starts_on):
        reasons.append(_("This offering is for members only."))
    reasons += residency_reasons(offering, participant_dossier, moment)
    return reasons


def already_registered(participant_dossier: Dossier) -> str:
    """The refusal of a second live registration (waiting list included). Worded without
    agreement: the dossier records no gender, and a first name says nothing of one."""
    return _("%(name)s already has a registration or a spot on the waiting list.") % {
        "name": participant_dossier.display_name
    }


def person_refusal(
    offering: Offering,
    participant_dossier: Dossier,
    *,
    at: datetime | None = None,
    already: bool = False,
) -> str:
    """Why registering this person would be refused, in the words the submission uses
    ("" when nothing stands in the way): the person's rules first, then a live registration
    they already have (``already``, which the caller reads). The window is everyone's and
    is not repeated here."""
    if reasons := participant_reasons(offering, participant_dossier, at=at):
        return " ".join(reasons)
    return already_registered(participant_dossier) if already else ""


def price_for(offering: Offering, participant_dossier: Dossier | None) -> Price:
    """Member price when the participant is a member on the first day, else non-member."""
    on = offering.starts_on
    if participant_dossier is not None and participant_dossier.is_member_on(on):
        return Price(_("Member"), offering.member_price, is_member=True)
    return Price(_("Non-member"), offering.non_member_price, is_member=False)


def rules(offering: Offering) -> list[str]:
    """The offering's eligibility rules in words, for its public page."""
    lines = [age_rule(offering)] if age_rule(offering) else []
    if offering.members_only:
        lines.append(_("This offering is for members only."))
    if offering.residents_only:
        lines.append(_("This activity is for residents only."))
    elif offering.residents_first_until:
        day, clock = local_date_and_time(offering.residents_first_until)
        lines.append(
            _("Until %(date)s at %(time)s, registration is open to residents only.")
            % {"date": day, "time": clock}
        )
    if offering.one_per_person:
        lines.append(_("One registration per person."))
    if offering.household_cap:
        cap = offering.household_cap
        lines.append(
            ngettext(
                "At most %(cap)s registration per household.",
                "At most %(cap)s registrations per household.",
                cap,
            )
            % {"cap": cap}
        )
    return lines

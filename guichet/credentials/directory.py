"""Reading the members directory: members who opted in, with only what each chose to show.

Being listed takes two things: a membership in force today (``membership.members_on``) and
the opt-in of « Ma fiche » (``Profile.in_directory``, off by default). What is shown beside
the name is each member's ``DirectoryListing`` choices; a field left hidden is neither shown
nor searched.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf

from guichet.credentials import membership
from guichet.credentials.models import QuebecRegion
from guichet.dossiers.models import Dossier, DossierKind, Function


@dataclass(frozen=True)
class Entry:
    """One member as the directory shows them: the name, then only what they chose."""

    name: str
    region: str
    employer: str
    expertise: str
    professional_orders: str
    linkedin_url: str


def listed(day: datetime.date) -> QuerySet[Dossier]:
    current_employer = (
        Function.objects.filter(dossier=OuterRef("pk"), ended_on__isnull=True)
        .order_by("-started_on", "-pk")
        .values("employer")[:1]
    )
    return (
        Dossier.objects.filter(
            kind=DossierKind.PERSON,
            pk__in=membership.members_on(day),
            profile__in_directory=True,
        )
        .select_related("profile", "directory_listing")
        .annotate(
            employer=Coalesce(Subquery(current_employer), NullIf(F("work_employer"), Value("")))
        )
        .order_by("last_name", "first_name", "pk")
    )


def search(
    found: QuerySet[Dossier], *, name: str = "", region: str = "", expertise: str = ""
) -> QuerySet[Dossier]:
    for word in name.split():
        found = found.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    if region:
        found = found.filter(directory_listing__region=region)
    if expertise.strip():
        found = found.filter(
            directory_listing__show_expertise=True, profile__expertise__icontains=expertise.strip()
        )
    return found


def entry(dossier: Dossier) -> Entry:
    choices = getattr(dossier, "directory_listing", None)
    card = dossier.profile

    def shown(flag: str, value: str | None) -> str:
        return (value or "") if choices is not None and getattr(choices, flag) else ""

    region = ""
    if choices is not None and choices.region:
        region = QuebecRegion(choices.region).label
    return Entry(
        name=dossier.display_name,
        region=str(region),
        employer=shown("show_employer", getattr(dossier, "employer", "")),
        expertise=shown("show_expertise", card.expertise),
        professional_orders=shown("show_professional_orders", card.professional_orders),
        linkedin_url=shown("show_linkedin", card.linkedin_url),
    )

"""The participant file, made by the person (COMAQ « Créer votre dossier de participant »).

Where the preset allows it (``Preset.self_service_files``), a newcomer opens their own
dossier: duplicate detection first (the same name, birth date and email already on file →
link instead, never a second dossier), then, at the last step, the account (allauth's
sign-up: confirmation email, no sign-in before it) and the dossier under the next number
(``dossiers.services.identity.open_own_dossier``), in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from allauth.account.internal.flows.signup import complete_signup
from allauth.core.exceptions import ImmediateHttpResponse
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from guichet.audit.models import Right
from guichet.dossiers.models import Dossier
from guichet.dossiers.services import profile
from guichet.dossiers.services.identity import NewDossier, open_own_dossier


@dataclass(frozen=True)
class Person:
    """What the steps gathered."""

    first_name: str
    last_name: str
    birth_date: date
    email: str
    language: str
    mobile_phone: str = ""
    home_street: str = ""
    home_city: str = ""
    home_province: str = "QC"
    home_postal_code: str = ""
    function_title: str = ""
    employer: str = ""
    function_started_on: date | None = None
    expertise: str = ""
    professional_orders: str = ""
    linkedin_url: str = ""


def on_file(first_name: str, last_name: str, birth_date: date, email: str) -> Dossier | None:
    """A dossier already on file for this person: same names, birth date and email."""
    return (
        Dossier.objects.filter(
            first_name__iexact=first_name.strip(),
            last_name__iexact=last_name.strip(),
            birth_date=birth_date,
            email__iexact=email.strip(),
        )
        .order_by("pk")
        .first()
    )


@transaction.atomic
def open_file(person: Person, *, account: Any, request: HttpRequest | None) -> Dossier:
    """The dossier, held by ``account``, with its function and « Ma fiche »."""
    dossier = open_own_dossier(
        NewDossier(
            first_name=person.first_name.strip(),
            last_name=person.last_name.strip(),
            birth_date=person.birth_date,
            language=person.language,
            email=person.email,
            home_street=person.home_street,
            home_city=person.home_city,
            home_postal_code=person.home_postal_code,
        ),
        account=account,
        request=request,
        because={"self_service": True},
    )
    if person.mobile_phone:
        Dossier.objects.filter(pk=dossier.pk).update(mobile_phone=person.mobile_phone)
        dossier.mobile_phone = person.mobile_phone
    if person.function_title and person.employer and person.function_started_on:
        profile.add_function(
            dossier,
            title=person.function_title,
            employer=person.employer,
            street="",
            city="",
            province="QC",
            postal_code="",
            started_on=person.function_started_on,
            actor=account,
            right=Right.SELF,
            request=request,
        )
    card = {
        "expertise": person.expertise,
        "professional_orders": person.professional_orders,
        "linkedin_url": person.linkedin_url,
    }
    if any(card.values()):
        profile.update_card(dossier, card, actor=account, right=Right.SELF, request=request)
    return dossier


@dataclass(frozen=True)
class Created:
    response: HttpResponse | None  # allauth's answer (confirmation sent)
    dossier: Dossier | None  # None when the address already had an account
    account: Any = None


@transaction.atomic
def create_account_and_file(
    person: Person, *, form: Any, request: HttpRequest, then: Any = None
) -> Created:
    """``form``: a valid allauth sign-up form. An address that already has an account gets
    allauth's usual answer (an email to that address, nothing created), so this page does
    not reveal which addresses are registered. ``then(account, dossier)`` runs in the same
    transaction (the membership application)."""
    form.cleaned_data["first_name"] = person.first_name.strip()
    form.cleaned_data["last_name"] = person.last_name.strip()
    user, response = form.try_save(request)
    if response is not None:
        return Created(response=response, dossier=None)
    if user.language != person.language:
        user.language = person.language
        user.save(update_fields=["language"])
    dossier = open_file(person, account=user, request=request)
    if then is not None:
        then(user, dossier)
    try:
        response = complete_signup(request, user=user)
    except ImmediateHttpResponse as immediate:
        response = immediate.response
    return Created(response=response, dossier=dossier, account=user)

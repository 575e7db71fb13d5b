"""Offerings with a roster: a family (guardian with a phone, child with an allergy), an
adult, a waiting list."""

from __future__ import annotations

import datetime

from guichet.catalog.models import OfferingKind, Question
from guichet.registrations.models import RegistrationOption
from tests.catalog.factories import OptionFactory
from tests.dossiers.factories import ChildDossierFactory, DossierFactory, DossierLinkFactory
from tests.factories import AccountFactory
from tests.registrations.factories_mine import (
    OfferingFactory,
    RegistrationFactory,
    days_from_today,
)


def day_camp(**fields):
    """A day camp (an activity) that started yesterday, with an allergy question."""
    defaults = {
        "kind": OfferingKind.ACTIVITY,
        "title": "Camp de jour — semaine 1",
        "starts_on": days_from_today(-1),
        "hours": None,
    }
    defaults.update(fields)
    offering = OfferingFactory(**defaults)
    offering.ends_on = offering.starts_on + datetime.timedelta(days=4)
    offering.save(update_fields=["ends_on"])
    Question.objects.create(offering=offering, label="Allergies", label_en="Allergies")
    return offering


def family_child(offering, *, first_name="Léa", allergy="Arachides", **fields):
    """A child registered by a guardian whose own file holds a mobile number."""
    guardian = AccountFactory(first_name="Marie", last_name="Tremblay")
    DossierLinkFactory(account=guardian, dossier=DossierFactory(mobile_phone="418 555-0199"))
    child = ChildDossierFactory(first_name=first_name, last_name="Tremblay")
    DossierLinkFactory(account=guardian, dossier=child, role="guardian")
    return RegistrationFactory(
        offering=offering,
        participant=child,
        registered_by=guardian,
        right="guardian",
        answers={"Allergies": allergy},
        **fields,
    )


def with_option(registration, name="Service de garde"):
    option = OptionFactory(offering=registration.offering, name=name)
    RegistrationOption.objects.create(
        registration=registration, option=option, unit_price=option.price
    )
    return option

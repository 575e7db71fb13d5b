"""Opening a dossier and correcting its locked identity: dossiers' own services.

Staff decide both (requests call them when a request is approved); each writes its audit
row in the same transaction, and nobody else writes the dossier's table.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from guichet.audit.models import Action, AuditEvent, Right
from guichet.dossiers.models import Dossier
from guichet.dossiers.services import identity
from guichet.dossiers.services.identity import NewDossier
from tests.dossiers.factories import DossierFactory

pytestmark = pytest.mark.django_db

MELANIE = NewDossier(
    first_name="Mélanie",
    last_name="Tremblay",
    birth_date=datetime.date(1984, 2, 29),
    language="en",
    email="melanie@exemple.ca",
    home_street="45, avenue Cartier",
    home_city="Baie-Comeau",
    home_postal_code="G4Z 1A1",
    home_phone="418 555-0199",
)


def test_staff_open_a_dossier_under_the_next_number_and_it_is_audited(staff, account):
    DossierFactory(number="10041")
    opened = identity.open_dossier(MELANIE, actor=staff, subject=account, because={"request": 7})
    assert opened.number == "10042"
    stored = Dossier.objects.get(number="10042")
    assert (stored.first_name, stored.last_name) == ("Mélanie", "Tremblay")
    assert stored.birth_date == datetime.date(1984, 2, 29)
    assert (stored.home_city, stored.home_phone, stored.language) == (
        "Baie-Comeau",
        "418 555-0199",
        "en",
    )
    event = AuditEvent.objects.get(action=Action.DOSSIER_OPENED)
    assert (event.actor, event.subject, event.dossier, event.right) == (
        staff,
        account,
        stored,
        Right.STAFF,
    )
    assert event.data == {"number": "10042", "request": 7}


def test_only_staff_open_a_dossier(account):
    with pytest.raises(PermissionDenied):
        identity.open_dossier(MELANIE, actor=account, subject=account)
    assert not Dossier.objects.exists()
    assert not AuditEvent.objects.exists()


def test_staff_correct_the_locked_identity_with_before_and_after_in_the_trail(staff, account):
    dossier = DossierFactory(
        first_name="Mélanie", last_name="Tremblay", birth_date=datetime.date(1985, 6, 15)
    )
    identity.correct_identity(
        dossier,
        {"last_name": "Nouveau-Nom", "birth_date": "1985-06-16"},
        actor=staff,
        subject=account,
        because={"request": 12},
    )
    dossier.refresh_from_db()
    assert (dossier.first_name, dossier.last_name) == ("Mélanie", "Nouveau-Nom")
    assert dossier.birth_date == datetime.date(1985, 6, 16)
    event = AuditEvent.objects.get(action=Action.PROFILE_CHANGED)
    assert (event.actor, event.subject, event.dossier, event.right) == (
        staff,
        account,
        dossier,
        Right.STAFF,
    )
    assert event.data == {
        "before": {"first_name": "Mélanie", "last_name": "Tremblay", "birth_date": "1985-06-15"},
        "after": {"first_name": "Mélanie", "last_name": "Nouveau-Nom", "birth_date": "1985-06-16"},
        "request": 12,
    }


def test_a_correction_reads_the_dossier_as_it_is_when_applied(staff, account):
    dossier = DossierFactory(last_name="Tremblay")
    Dossier.objects.filter(pk=dossier.pk).update(last_name="Corrigé-Entre-Temps")
    identity.correct_identity(dossier, {"first_name": "Léa"}, actor=staff, subject=account)
    event = AuditEvent.objects.get(action=Action.PROFILE_CHANGED)
    assert event.data["before"]["last_name"] == "Corrigé-Entre-Temps"
    assert event.data["after"]["last_name"] == "Corrigé-Entre-Temps"


def test_only_staff_correct_a_locked_identity_and_only_its_locked_fields(staff, account):
    dossier = DossierFactory(last_name="Tremblay")
    with pytest.raises(PermissionDenied):
        identity.correct_identity(dossier, {"last_name": "Autre"}, actor=account)
    with pytest.raises(ValueError, match="email"):
        identity.correct_identity(dossier, {"email": "x@exemple.ca"}, actor=staff)
    dossier.refresh_from_db()
    assert dossier.last_name == "Tremblay"
    assert not AuditEvent.objects.exists()

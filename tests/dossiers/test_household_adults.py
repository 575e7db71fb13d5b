"""A guardian adds minors; knowing an adult's number and birth date makes nobody their
guardian, and the refusal reads like a wrong answer (the pair is not proven)."""

from __future__ import annotations

import datetime

import pytest

from guichet.audit.models import Action, AuditEvent
from guichet.dossiers.models import DossierLink, LinkRole
from guichet.dossiers.services import linking
from tests.dossiers.factories import ChildDossierFactory, DossierFactory, DossierLinkFactory

pytestmark = pytest.mark.django_db


def test_an_adult_dossier_cannot_be_added_as_a_family_member(account, settings):
    settings.GUICHET_PRESET = "baie-comeau"
    DossierLinkFactory(account=account)
    adult = DossierFactory(birth_date=datetime.date(1990, 1, 1))

    outcome = linking.link_by_number(
        actor=account, number=adult.number, birth_date=adult.birth_date, role=LinkRole.GUARDIAN
    )

    assert outcome.status == linking.Status.REFUSED
    assert not DossierLink.objects.filter(dossier=adult).exists()
    assert AuditEvent.objects.get(action=Action.LINK_FAILED).data["reason"] == "adult"


def test_a_child_is_added_as_a_family_member(account, settings):
    settings.GUICHET_PRESET = "baie-comeau"
    DossierLinkFactory(account=account)
    child = ChildDossierFactory()

    outcome = linking.link_by_number(
        actor=account, number=child.number, birth_date=child.birth_date, role=LinkRole.GUARDIAN
    )

    assert outcome.status == linking.Status.LINKED
    assert DossierLink.objects.get(dossier=child).role == LinkRole.GUARDIAN

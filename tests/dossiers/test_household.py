"""« Ma famille »: the held dossier and the dossiers in the account's care."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guichet.audit.models import Action, AuditEvent, Right
from guichet.dossiers.models import DossierLink, GuardianRequest, LinkRole
from guichet.dossiers.services import guardians
from tests.dossiers.factories import ChildDossierFactory, DossierFactory, DossierLinkFactory
from tests.factories import AccountFactory
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

URL = "/mon-dossier/famille/"
ADD = "/mon-dossier/famille/ajouter/"


@pytest.fixture(autouse=True)
def baie_comeau(settings):
    settings.GUICHET_PRESET = "baie-comeau"


@pytest.fixture
def child():
    return ChildDossierFactory(
        number="104524",
        first_name="Léa",
        last_name="Tremblay",
        birth_date=datetime.date(2015, 9, 14),
    )


def test_the_page_lists_the_held_dossier_and_each_child_with_number_and_age(
    client, account, child, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.UTC))
    DossierLinkFactory(
        account=account,
        dossier=DossierFactory(number="104523", first_name="Marie", last_name="Tremblay"),
    )
    DossierLinkFactory(account=account, dossier=child, role=LinkRole.GUARDIAN)
    client.force_login(account)
    page = text_of(client.get(URL))
    assert "<h1>Ma famille</h1>" in page
    assert "Marie Tremblay" in page
    assert "Léa Tremblay" in page
    assert "104524" in page
    assert "10 ans" in page
    assert "Ajouter un membre de la famille" in page


def test_a_guardian_links_a_child_by_number_and_birth_date_without_the_adult_rule(
    client, account, child
):
    client.force_login(account)
    response = client.post(ADD, {"number": "104524", "birth_date": "2015/09/14"})
    assert response.status_code == 302
    link = DossierLink.objects.get(account=account, dossier=child)
    assert link.role == LinkRole.GUARDIAN
    event = AuditEvent.objects.get(action=Action.DOSSIER_LINKED)
    assert (event.dossier, event.right) == (child, Right.GUARDIAN)


def test_a_wrong_birth_date_is_refused_generically(client, account, child):
    client.force_login(account)
    page = text_of(client.post(ADD, {"number": "104524", "birth_date": "2015/09/15"}))
    assert "Nous n'avons pas pu ajouter un membre de la famille avec ces renseignements" in page
    assert not DossierLink.objects.exists()


def test_household_linking_is_throttled_like_any_link(client, account, child):
    client.force_login(account)
    for day in range(1, 6):
        client.post(ADD, {"number": "104524", "birth_date": f"2015/01/{day:02d}"})
    page = text_of(client.post(ADD, {"number": "104524", "birth_date": "2015/09/14"}))
    assert "est bloquée pendant 30 minutes" in page
    assert not DossierLink.objects.exists()


def test_a_dossier_with_its_own_holder_cannot_be_added_as_a_member(client, account):
    adult = DossierFactory(number="104599")
    DossierLinkFactory(dossier=adult, account=AccountFactory())
    client.force_login(account)
    page = text_of(client.post(ADD, {"number": "104599", "birth_date": "1985/06/15"}))
    assert "Nous n'avons pas pu ajouter un membre de la famille avec ces renseignements" in page


def test_second_guardian_sees_the_child_once_approved_and_nothing_of_the_first_guardian(
    client, child
):
    first = AccountFactory(first_name="Isabelle", last_name="Premier", email="isa@exemple.ca")
    DossierLinkFactory(account=first, dossier=child, role=LinkRole.GUARDIAN)
    second = AccountFactory(first_name="Marc", last_name="Second")
    client.force_login(second)

    client.post(ADD, {"number": "104524", "birth_date": "2015/09/14"})
    assert "Léa Tremblay" not in text_of(client.get(URL))  # waits for approval
    guardians.accept_as_guardian(GuardianRequest.objects.get().pk, actor=first)
    page = text_of(client.get(URL))
    assert "Léa Tremblay" in page
    assert "Isabelle" not in page
    assert "Premier" not in page
    assert "isa@exemple.ca" not in page
    assert DossierLink.objects.filter(dossier=child, role=LinkRole.GUARDIAN).count() == 2


def test_an_outsider_sees_none_of_the_family(client, account, outsider, child):
    DossierLinkFactory(account=account, dossier=child, role=LinkRole.GUARDIAN)
    client.force_login(outsider)
    page = text_of(client.get(URL))
    assert "Léa" not in page
    assert "104524" not in page


def test_the_page_makes_the_same_queries_for_one_member_or_five(client, account):
    DossierLinkFactory(account=account)
    client.force_login(account)
    client.get(URL)
    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    for _ in range(4):
        DossierLinkFactory(account=account, dossier=ChildDossierFactory(), role=LinkRole.GUARDIAN)
    with CaptureQueriesContext(connection) as five:
        response = client.get(URL)
    assert response.status_code == 200
    assert len(five) == len(one)


def test_the_page_is_off_without_households(client, account, settings):
    settings.GUICHET_PRESET = "ccq"
    client.force_login(account)
    assert client.get(URL).status_code == 404
    assert client.get(ADD).status_code == 404

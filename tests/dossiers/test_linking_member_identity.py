"""CAOMSC: matricule, « Nom de famille », « Date de naissance » and « Code postal »."""

from __future__ import annotations

import datetime
import re

import pytest

from guichet.audit.models import Action, AuditEvent
from guichet.dossiers.models import DossierLink, LinkAttempt
from tests.dossiers.factories import DossierFactory
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

URL = "/mon-dossier/activer/membre/"
ANSWER = {
    "number": "00875",
    "last_name": "cote",
    "birth_date": "20/02/1990",
    "postal_code": "g5c1a1",
}


@pytest.fixture(autouse=True)
def caomsc(settings):
    settings.GUICHET_PRESET = "caomsc"


@pytest.fixture
def dossier():
    return DossierFactory(
        number="00875",
        last_name="Côté",
        birth_date=datetime.date(1990, 2, 20),
        home_postal_code="G5C 1A1",
    )


def test_member_identity_links_whatever_the_case_accents_and_spaces(
    client, account, dossier, mailbox, django_capture_on_commit_callbacks
):
    client.force_login(account)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, ANSWER)
    # CAOMSC's preset asks for the code sent to the address on file.
    assert response["Location"] == "/mon-dossier/activer/confirmation/"
    body = mailbox.body(mailbox.wait_for(dossier.email, "code de confirmation"))
    code = re.search(r"^\s+(\d{6})\s*$", body, re.M).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/mon-dossier/activer/confirmation/", {"code": code})
    link = DossierLink.objects.get(account=account)
    assert (link.dossier, link.method) == (dossier, "member_identity")
    mailbox.wait_for(dossier.email, "lié")


@pytest.mark.parametrize(
    "field, value",
    [("last_name", "Tremblay"), ("postal_code", "G5C 1A2"), ("birth_date", "1990/02/21")],
)
def test_any_wrong_field_gets_the_same_answer(client, account, dossier, field, value):
    client.force_login(account)
    response = client.post(URL, {**ANSWER, field: value})
    page = text_of(response)
    assert "Nous n'avons pas pu lier un dossier avec ces renseignements" in page
    assert "Nom de famille" in page
    assert not DossierLink.objects.exists()
    assert LinkAttempt.objects.get().dossier == dossier
    assert AuditEvent.objects.filter(action=Action.LINK_FAILED).count() == 1


def test_a_matricule_has_five_digits(client, account, dossier):
    client.force_login(account)
    response = client.post(URL, {**ANSWER, "number": "875"})
    assert "Un matricule contient cinq chiffres" in text_of(response)


def test_locked_after_five_failures_even_with_the_right_answer(client, account, dossier):
    client.force_login(account)
    for _ in range(5):
        client.post(URL, {**ANSWER, "last_name": "Autre"})
    response = client.post(URL, ANSWER)
    assert "est bloquée pendant 30 minutes" in text_of(response)
    assert not DossierLink.objects.exists()


def test_the_method_is_off_where_the_preset_does_not_offer_it(client, account, settings):
    settings.GUICHET_PRESET = "baie-comeau"
    client.force_login(account)
    assert client.get(URL).status_code == 404

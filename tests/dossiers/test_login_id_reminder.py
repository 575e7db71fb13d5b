"""« Identifiant oublié ? »: the address on file learns which email the account uses."""

from __future__ import annotations

import datetime

import pytest

from guichet.audit.models import Action, AuditEvent
from tests.dossiers.factories import DossierFactory, DossierLinkFactory
from tests.factories import AccountFactory
from tests.support.captcha import solved_captcha
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

URL = "/mon-dossier/identifiant-oublie/"
SAME_ANSWER = "Si ces renseignements correspondent à un dossier lié à un compte"


@pytest.fixture
def holder():
    account = AccountFactory(email="compte.reel@exemple.ca")
    DossierLinkFactory(
        account=account,
        dossier=DossierFactory(
            number="104523", birth_date=datetime.date(1984, 5, 12), email="dossier@exemple.ca"
        ),
    )
    return account


def ask(client, capture, number="104523", birth_date="1984/05/12"):
    with capture(execute=True):
        return client.post(
            URL, {"number": number, "birth_date": birth_date, "captcha": solved_captcha()}
        )


def test_the_address_on_file_is_told_which_email_signs_in(
    client, holder, mailbox, django_capture_on_commit_callbacks
):
    response = ask(client, django_capture_on_commit_callbacks)
    assert SAME_ANSWER in text_of(response)
    assert "compte.reel@exemple.ca" not in text_of(response)
    message = mailbox.wait_for("dossier@exemple.ca", "identifiant")
    assert "compte.reel@exemple.ca" in mailbox.body(message)
    event = AuditEvent.objects.get(action=Action.LOGIN_ID_REMINDER)
    assert event.subject == holder
    assert event.data == {"sent": True}


@pytest.mark.parametrize("number, birth_date", [("104523", "1984/05/13"), ("999999", "1984/05/12")])
def test_no_match_gets_the_same_answer_and_no_email(
    client, holder, mailbox, django_capture_on_commit_callbacks, number, birth_date
):
    response = ask(client, django_capture_on_commit_callbacks, number, birth_date)
    assert SAME_ANSWER in text_of(response)
    assert mailbox.messages == []
    assert AuditEvent.objects.get(action=Action.LOGIN_ID_REMINDER).data == {"sent": False}


def test_a_dossier_without_an_account_gets_the_same_answer(
    client, mailbox, django_capture_on_commit_callbacks
):
    DossierFactory(number="104600", birth_date=datetime.date(1984, 5, 12))
    response = ask(client, django_capture_on_commit_callbacks, "104600")
    assert SAME_ANSWER in text_of(response)
    assert mailbox.messages == []


def test_the_anti_robot_check_is_required(client, holder):
    response = client.post(URL, {"number": "104523", "birth_date": "1984/05/12"})
    assert "La vérification anti-robot n'est pas terminée" in text_of(response)
    assert SAME_ANSWER not in text_of(response)
    assert not AuditEvent.objects.filter(action=Action.LOGIN_ID_REMINDER).exists()


def test_the_page_is_public_and_titled_as_the_guides_say(client):
    page = text_of(client.get(URL))
    assert "<h1>Identifiant oublié ?</h1>" in page
    assert "Numéro de dossier" in page


def test_login_id_reminder_is_rate_limited_per_address_of_the_sender(client):
    from django.urls import reverse

    url = reverse("dossiers:login_id_reminder")
    statuses = [
        client.post(url, {"number": "1", "birth_date": "2000-01-01"}).status_code for _ in range(6)
    ]
    assert statuses[-1] == 429
    assert 429 not in statuses[:5]

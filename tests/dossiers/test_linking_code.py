"""A one-time linking code: staff issue it to the address on file; the person types it."""

from __future__ import annotations

import datetime
import re

import pytest
from allauth.mfa.models import Authenticator

from guichet.audit.models import Action, AuditEvent, Right
from guichet.dossiers.models import DossierLink, LinkingCode
from guichet.dossiers.services.linking import issue_linking_code
from tests.dossiers.factories import DossierFactory
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

STAFF_URL = "/mon-dossier/personnel/code-de-liaison/"
URL = "/mon-dossier/activer/code/"


@pytest.fixture(autouse=True)
def ccq(settings):
    settings.GUICHET_PRESET = "ccq"


@pytest.fixture
def dossier():
    return DossierFactory(number="304650", email="gabriel@exemple.ca")


@pytest.fixture
def staff_client(client, staff):
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={})
    client.force_login(staff)
    return client


def code_in(mailbox) -> str:
    body = mailbox.body(mailbox.wait_for("gabriel@exemple.ca", "code de liaison"))
    return re.search(r"[A-Z2-7]{4}(?:-[A-Z2-7]{4}){3}", body).group(0)


def test_staff_issue_a_code_emailed_to_the_address_on_file_and_stored_hashed(
    staff_client, staff, dossier, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(STAFF_URL, {"number": "304650"}, follow=True)
    assert "g***@exemple.ca" in text_of(response)
    code = code_in(mailbox)
    assert code not in text_of(response)
    stored = LinkingCode.objects.get()
    assert code.replace("-", "") not in stored.code_hash
    assert stored.sent_to == "gabriel@exemple.ca"
    assert stored.expires_at - stored.created_at == datetime.timedelta(hours=24)
    event = AuditEvent.objects.get(action=Action.LINK_CODE_SENT)
    assert (event.actor, event.dossier, event.right) == (staff, dossier, Right.STAFF)


def test_staff_are_told_when_the_dossier_has_no_email(staff_client):
    DossierFactory(number="304651", email="")
    response = staff_client.post(STAFF_URL, {"number": "304651"})
    assert "n'a pas d'adresse courriel" in text_of(response)
    assert not LinkingCode.objects.exists()


def test_people_who_are_not_staff_get_a_404(client, account):
    client.force_login(account)
    assert client.get(STAFF_URL).status_code == 404


def test_the_code_links_once(
    client, account, outsider, dossier, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issue_linking_code(actor=None, dossier=dossier)
    code = code_in(mailbox)
    client.force_login(account)
    response = client.post(URL, {"number": "304650", "code": code.lower().replace("-", " ")})
    assert response.status_code == 302
    assert DossierLink.objects.get(account=account).method == "linking_code"
    assert LinkingCode.objects.get().used_at is not None

    DossierLink.objects.all().delete()
    client.force_login(outsider)
    response = client.post(URL, {"number": "304650", "code": code})
    assert "Nous n'avons pas pu lier un dossier" in text_of(response)
    assert not DossierLink.objects.exists()


def test_the_code_expires_after_24_hours(
    client, account, dossier, mailbox, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 5, 1, 12, 0, tzinfo=datetime.UTC))
    with django_capture_on_commit_callbacks(execute=True):
        issue_linking_code(actor=None, dossier=dossier)
    code = code_in(mailbox)
    time_machine.move_to(datetime.datetime(2026, 5, 2, 12, 1, tzinfo=datetime.UTC))
    client.force_login(account)
    client.post(URL, {"number": "304650", "code": code})
    assert not DossierLink.objects.exists()


def test_the_code_is_bound_to_the_address_it_was_sent_to(
    client, account, dossier, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issue_linking_code(actor=None, dossier=dossier)
    code = code_in(mailbox)
    dossier.email = "nouvelle@exemple.ca"
    dossier.save()
    client.force_login(account)
    client.post(URL, {"number": "304650", "code": code})
    assert not DossierLink.objects.exists()


def test_a_new_code_replaces_the_previous_one(
    client, account, dossier, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issue_linking_code(actor=None, dossier=dossier)
    first = code_in(mailbox)
    with django_capture_on_commit_callbacks(execute=True):
        issue_linking_code(actor=None, dossier=dossier)
    client.force_login(account)
    client.post(URL, {"number": "304650", "code": first})
    assert not DossierLink.objects.exists()


def test_codes_are_random_and_long_enough():
    from guichet.dossiers.services.linking import new_issued_code

    codes = {new_issued_code() for _ in range(50)}
    assert len(codes) == 50
    # 16 base-32 characters: 80 random bits.
    assert all(len(code.replace("-", "")) == 16 for code in codes)


def test_locked_after_five_wrong_codes_even_with_the_right_one(
    client, account, dossier, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issue_linking_code(actor=None, dossier=dossier)
    code = code_in(mailbox)
    client.force_login(account)
    for n in range(5):
        client.post(URL, {"number": "304650", "code": f"AAAA-AAAA-AAAA-AAA{n}"})
    response = client.post(URL, {"number": "304650", "code": code})
    assert "est bloquée pendant 30 minutes" in text_of(response)
    assert not DossierLink.objects.exists()

"""Knowledge is a hint: the demo preset asks for a code sent to the address on file."""

from __future__ import annotations

import datetime
import re

import pytest

from guichet.audit.models import Action, AuditEvent
from guichet.dossiers.models import DossierLink, LinkingCode, LinkingCodePurpose
from tests.dossiers.factories import DossierFactory
from tests.factories import AccountFactory
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

CONFIRM = "/mon-dossier/activer/confirmation/"


@pytest.fixture
def dossier():
    return DossierFactory(
        number="204601", birth_date=datetime.date(1979, 11, 3), email="jf@exemple.ca"
    )


def ask(client, mailbox, capture) -> str:
    with capture(execute=True):
        response = client.post(
            "/mon-dossier/activer/numero/", {"number": "204601", "birth_date": "1979/11/03"}
        )
    assert response.status_code == 302
    assert response["Location"] == CONFIRM
    body = mailbox.body(mailbox.wait_for("jf@exemple.ca", "code de confirmation"))
    return re.search(r"^\s+(\d{6})\s*$", body, re.M).group(1)


def test_right_answer_sends_a_code_and_links_only_once_it_is_typed(
    client, account, dossier, mailbox, django_capture_on_commit_callbacks
):
    client.force_login(account)
    code = ask(client, mailbox, django_capture_on_commit_callbacks)

    assert not DossierLink.objects.exists()
    stored = LinkingCode.objects.get(purpose=LinkingCodePurpose.CONFIRMATION)
    assert code not in stored.code_hash
    assert stored.account == account
    assert stored.expires_at - stored.created_at <= datetime.timedelta(hours=24)
    assert AuditEvent.objects.filter(action=Action.LINK_CODE_SENT, dossier=dossier).exists()
    assert "j***@exemple.ca" in text_of(client.get(CONFIRM))

    response = client.post(CONFIRM, {"code": code})
    assert response.status_code == 302
    assert DossierLink.objects.filter(account=account, dossier=dossier).exists()


def test_the_code_is_single_use(
    client, account, dossier, mailbox, django_capture_on_commit_callbacks
):
    client.force_login(account)
    code = ask(client, mailbox, django_capture_on_commit_callbacks)
    client.post(CONFIRM, {"code": code})
    DossierLink.objects.all().delete()

    response = client.post(CONFIRM, {"code": code}, follow=True)
    assert "Aucune confirmation n'est en attente" in text_of(response)
    assert not DossierLink.objects.exists()


def test_a_wrong_code_is_refused_and_counted(
    client, account, dossier, mailbox, django_capture_on_commit_callbacks
):
    client.force_login(account)
    code = ask(client, mailbox, django_capture_on_commit_callbacks)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    response = client.post(CONFIRM, {"code": wrong})
    assert "Ce code n'est pas valide" in text_of(response)
    assert LinkingCode.objects.get().failed_attempts == 1
    assert AuditEvent.objects.filter(action=Action.LINK_FAILED, dossier=dossier).exists()


def test_the_code_expires(
    client, account, dossier, mailbox, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 4, 1, 12, 0, tzinfo=datetime.UTC))
    client.force_login(account)
    code = ask(client, mailbox, django_capture_on_commit_callbacks)
    time_machine.move_to(datetime.datetime(2026, 4, 2, 12, 1, tzinfo=datetime.UTC))
    client.post(CONFIRM, {"code": code})
    assert not DossierLink.objects.exists()


def test_another_account_cannot_use_the_code(
    client, account, dossier, mailbox, django_capture_on_commit_callbacks
):
    client.force_login(account)
    code = ask(client, mailbox, django_capture_on_commit_callbacks)
    client.force_login(AccountFactory())
    client.post(CONFIRM, {"code": code})
    assert not DossierLink.objects.exists()


def test_without_an_email_on_file_the_link_is_made_at_once(client, account):
    DossierFactory(number="204602", birth_date=datetime.date(1979, 11, 3), email="")
    client.force_login(account)
    client.post("/mon-dossier/activer/numero/", {"number": "204602", "birth_date": "1979/11/03"})
    assert DossierLink.objects.filter(account=account).exists()

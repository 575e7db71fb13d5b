"""CCQ « anciens accès »: the old username and password prove the link, then are erased."""

from __future__ import annotations

import bcrypt
import pytest

from guichet.audit.models import Action, AuditEvent
from guichet.dossiers.models import DossierLink
from tests.dossiers.factories import DossierFactory
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

URL = "/mon-dossier/activer/anciens-acces/"
OLD_PASSWORD = "Ancien-acces-2019"  # noqa: S105


@pytest.fixture(autouse=True)
def ccq(settings):
    settings.GUICHET_PRESET = "ccq"


@pytest.fixture
def dossier():
    return DossierFactory(
        legacy_username="lbouchard",
        legacy_password_hash=bcrypt.hashpw(OLD_PASSWORD.encode(), bcrypt.gensalt(4)).decode(),
    )


def test_old_credentials_link_and_are_then_erased(
    client, account, dossier, mailbox, django_capture_on_commit_callbacks
):
    client.force_login(account)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"username": "LBouchard", "password": OLD_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/mon-dossier/"
    assert DossierLink.objects.get(account=account).dossier == dossier
    dossier.refresh_from_db()
    assert dossier.legacy_username == ""
    assert dossier.legacy_password_hash == ""
    assert AuditEvent.objects.filter(action=Action.DOSSIER_LINKED, dossier=dossier).exists()
    mailbox.wait_for(dossier.email, "lié")


def test_wrong_password_and_unknown_username_get_the_same_answer(client, account, dossier):
    client.force_login(account)
    wrong = text_of(client.post(URL, {"username": "lbouchard", "password": "pas le bon"}))
    unknown = text_of(client.post(URL, {"username": "inconnu", "password": OLD_PASSWORD}))
    for page in (wrong, unknown):
        assert "Nous n'avons pas pu lier un dossier avec ces renseignements" in page
    assert not DossierLink.objects.exists()
    dossier.refresh_from_db()
    assert dossier.legacy_password_hash  # kept until a link is made


def test_the_password_typed_is_not_shown_back(client, account, dossier):
    client.force_login(account)
    page = text_of(client.post(URL, {"username": "lbouchard", "password": "secret-typed"}))
    assert "secret-typed" not in page
    assert 'value="lbouchard"' in page


def test_locked_after_five_failures_even_with_the_right_password(
    client, account, dossier, mailbox, django_capture_on_commit_callbacks
):
    client.force_login(account)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            client.post(URL, {"username": "lbouchard", "password": f"essai {n}"})
    mailbox.wait_for(dossier.email, "bloqué")
    response = client.post(URL, {"username": "lbouchard", "password": OLD_PASSWORD})
    assert "est bloquée pendant 30 minutes" in text_of(response)
    assert not DossierLink.objects.exists()

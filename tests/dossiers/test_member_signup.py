"""CAOMSC's « Première visite ? Créer votre accès »: identify, then email and password."""

from __future__ import annotations

import datetime
import re
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.utils import timezone

from guichet.accounts.models import Account
from guichet.audit.models import Action, AuditEvent
from guichet.dossiers.models import DossierLink, LinkingCode, LinkRole
from guichet.dossiers.services import member_signup
from tests.dossiers.factories import ChildDossierFactory, DossierFactory, DossierLinkFactory
from tests.support.captcha import solved_captcha
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

STEP1 = "/mon-dossier/premiere-visite/"
STEP2 = "/mon-dossier/premiere-visite/acces/"
GENERIC = "Nous n'avons pas pu lier un dossier avec ces renseignements"
ANSWER = {
    "number": "00875",
    "last_name": "cote",
    "birth_date": "20/02/1990",
    "postal_code": "g5c1a1",
}
NEW = {
    "email": "julie@exemple.ca",
    "email2": "julie@exemple.ca",
    "password1": "abc123def",
    "password2": "abc123def",
    "accept_terms": "on",
}


@pytest.fixture(autouse=True)
def caomsc(settings):
    settings.GUICHET_PRESET = "caomsc"


@pytest.fixture
def dossier():
    return DossierFactory(
        number="00875",
        first_name="Julie",
        last_name="Côté",
        birth_date=datetime.date(1990, 2, 20),
        home_postal_code="G5C 1A1",
        email="",
    )


def identify(client, **changes):
    return client.post(STEP1, {**ANSWER, "captcha": solved_captcha(), **changes})


def test_the_pages_are_not_found_when_the_preset_lacks_the_method(client, settings, dossier):
    settings.GUICHET_PRESET = "baie-comeau"
    assert client.get(STEP1).status_code == 404
    assert client.get(STEP2).status_code == 404
    assert "Première visite" not in text_of(client.get("/compte/signup/"))


def test_the_sign_up_page_offers_the_path_when_the_method_is_on(client):
    page = text_of(client.get("/compte/signup/"))
    assert 'href="/mon-dossier/premiere-visite/"' in page
    assert "Première visite ? Créer votre accès" in page


def test_step_one_shows_the_guide_s_fields(client):
    page = text_of(client.get(STEP1))
    for label in ("Matricule", "Nom de famille", "Date de naissance", "Code postal"):
        assert label in page
    assert "JJ/MM/AAAA" in page
    assert ">Inscription</button>" in page


@pytest.mark.parametrize("birth_date", ["20/02/1990", "1990-02-20"])
def test_the_right_identity_leads_to_step_two_with_the_dossier_in_the_session(
    client, dossier, birth_date
):
    response = identify(client, birth_date=birth_date)
    assert response.status_code == 302
    assert response["Location"] == STEP2
    page = text_of(client.get(STEP2))
    assert "Vous êtes identifié : matricule 00875." in page
    assert 'type="hidden" name="dossier' not in page
    assert member_signup.remembered(client.session) == dossier


@pytest.mark.parametrize(
    "field, value",
    [
        ("number", "00876"),
        ("last_name", "Tremblay"),
        ("postal_code", "G5C 1A2"),
        ("birth_date", "21/02/1990"),
    ],
)
def test_a_wrong_identity_gets_the_generic_answer_and_is_audited(client, dossier, field, value):
    response = identify(client, **{field: value})
    page = text_of(response)
    assert response.status_code == 200
    assert GENERIC in page
    assert 'value="cote"' in page or field == "last_name"  # nothing typed is lost
    assert member_signup.SESSION_KEY not in client.session
    event = AuditEvent.objects.get(action=Action.LINK_FAILED)
    assert event.actor is None
    assert event.data["method"] == "member_identity"
    assert event.dossier == (None if field == "number" else dossier)


def test_a_failed_attempt_drops_an_earlier_identification(client, dossier):
    identify(client)
    identify(client, last_name="Tremblay")
    assert member_signup.SESSION_KEY not in client.session
    assert client.get(STEP2)["Location"] == STEP1


def test_a_dossier_that_already_has_a_holder_gets_the_same_answer(client, dossier):
    DossierLinkFactory(dossier=dossier, role=LinkRole.HOLDER)
    page = text_of(identify(client))
    assert GENERIC in page
    assert member_signup.SESSION_KEY not in client.session
    assert AuditEvent.objects.get(action=Action.LINK_FAILED).data["reason"] == "already_held"


def test_a_child_s_dossier_is_refused_like_a_wrong_identity(client):
    ChildDossierFactory(number="00875", last_name="Côté", home_postal_code="G5C 1A1")
    page = text_of(identify(client, birth_date="02/03/2016"))
    # Nothing proves the identity here: saying « a child's file » would tell it matched.
    assert GENERIC in page
    assert "Le titulaire d'un compte doit avoir 18 ans ou plus." in page  # the rule, stated
    assert "Le titulaire du compte doit avoir 18 ans ou plus." not in page
    assert member_signup.SESSION_KEY not in client.session
    assert AuditEvent.objects.get(action=Action.LINK_FAILED).data["reason"] == "minor"


def test_locked_after_five_failures_owner_told_and_right_answer_refused(
    client, dossier, mailbox, django_capture_on_commit_callbacks
):
    dossier.email = "julie.dossier@exemple.ca"
    dossier.save()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            identify(client, last_name="Tremblay")
    dossier.refresh_from_db()
    assert dossier.linking_locked_until > timezone.now()
    mailbox.wait_for("julie.dossier@exemple.ca", "bloqué")
    page = text_of(identify(client))
    assert "bloquée pendant 30 minutes" in page
    assert member_signup.SESSION_KEY not in client.session
    assert AuditEvent.objects.filter(action=Action.LINK_LOCKED, dossier=dossier).count() == 1


def test_failures_with_accounts_and_anonymous_ones_share_the_dossier_lock(client, dossier, account):
    client.force_login(account)
    for _ in range(3):
        client.post("/mon-dossier/activer/membre/", {**ANSWER, "last_name": "Tremblay"})
    client.logout()
    identify(client, last_name="Tremblay")
    identify(client, last_name="Tremblay")
    dossier.refresh_from_db()
    assert dossier.linking_locked_until is not None


def test_a_visitor_with_too_many_failures_is_throttled(client, dossier):
    for number in range(10):
        identify(client, number=f"{90000 + number}")
    page = text_of(identify(client))
    assert "Trop de tentatives infructueuses. Réessayez dans une heure." in page


def test_step_two_without_identification_goes_back_to_step_one(client):
    response = client.get(STEP2)
    assert response["Location"] == STEP1


def test_the_identification_expires_after_thirty_minutes(client, dossier):
    identify(client)
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        response = client.post(STEP2, NEW)
    assert response["Location"] == STEP1
    assert not Account.objects.exists()
    assert "Votre identification a expiré" in text_of(client.get(STEP1, follow=True))


def test_a_forged_session_value_is_refused(client, dossier):
    session = client.session
    session[member_signup.SESSION_KEY] = f"{dossier.pk}"
    session.save()
    assert client.get(STEP2)["Location"] == STEP1


def test_emails_that_differ_are_refused_and_typed_values_kept(client, dossier):
    identify(client)
    page = text_of(client.post(STEP2, {**NEW, "email2": "julie@exemple.com"}))
    assert "Les deux adresses courriel ne sont pas identiques." in page
    assert 'value="julie@exemple.ca"' in page
    assert 'value="julie@exemple.com"' in page
    assert not Account.objects.exists()


def test_the_password_rule_is_shown_and_enforced_in_french(client, dossier):
    identify(client)
    page = text_of(client.get(STEP2))
    for label in (
        "Courriel",
        "Confirmer votre courriel",
        "Mot de passe",
        "Confirmer le mot de passe",
    ):
        assert label in page
    assert "au moins 3 lettres et 3 chiffres" in page
    assert ">Envoyer</button>" in page
    assert page.count("au moins 3 lettres et 3 chiffres") == 1  # beside the field
    page = text_of(client.post(STEP2, {**NEW, "password1": "abcdefgh1", "password2": "abcdefgh1"}))
    assert page.count("au moins 3 lettres et 3 chiffres") == 2  # the rule, and the error
    assert 'value="julie@exemple.ca"' in page
    assert 'value="abcdefgh1"' in page
    assert not Account.objects.exists()


def test_an_account_is_created_unconfirmed_and_linked_without_code_when_none_on_file(
    client, dossier, mailbox, django_capture_on_commit_callbacks
):
    identify(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(STEP2, NEW)
    page = text_of(response)
    assert "Confirmez votre adresse courriel" in page
    assert "connectez-vous : votre compte sera lié à votre dossier" in page
    assert "code de confirmation" not in page
    account = Account.objects.get(email="julie@exemple.ca")
    assert (account.first_name, account.last_name) == ("Julie", "Côté")
    assert not EmailAddress.objects.get(user=account).verified
    assert "_auth_user_id" not in client.session  # no sign-in before confirmation
    assert member_signup.SESSION_KEY not in client.session
    link = DossierLink.objects.get(account=account)
    assert (link.dossier, link.role, link.method) == (dossier, "holder", "member_identity")
    assert AuditEvent.objects.filter(action=Action.DOSSIER_LINKED, dossier=dossier).exists()
    mailbox.wait_for("julie@exemple.ca", "Confirmez")
    # The link is unusable until the address is confirmed: signing in is refused.
    client.post("/compte/login/", {"login": "julie@exemple.ca", "password": NEW["password1"]})
    assert "_auth_user_id" not in client.session
    assert client.get("/mon-dossier/")["Location"].startswith("/compte/login/")


def test_with_an_email_on_file_the_link_waits_for_the_code_sent_there(
    client, dossier, mailbox, django_capture_on_commit_callbacks
):
    dossier.email = "julie.dossier@exemple.ca"
    dossier.save()
    identify(client)
    with django_capture_on_commit_callbacks(execute=True):
        page = text_of(client.post(STEP2, NEW))
    assert "j***@exemple.ca" in page
    account = Account.objects.get(email="julie@exemple.ca")
    assert not DossierLink.objects.exists()
    assert LinkingCode.objects.get(account=account).dossier == dossier
    mailbox.wait_for("julie@exemple.ca", "Confirmez")
    body = mailbox.body(mailbox.wait_for("julie.dossier@exemple.ca", "code de confirmation"))
    code = re.search(r"^\s+(\d{6})\s*$", body, re.M).group(1)

    EmailAddress.objects.filter(user=account).update(verified=True)  # the link was followed
    client.force_login(account)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/mon-dossier/activer/confirmation/", {"code": code})
    assert response.status_code == 302
    link = DossierLink.objects.get(account=account)
    assert (link.dossier, link.role) == (dossier, "holder")


def test_a_dossier_taken_between_the_steps_creates_nothing(client, dossier):
    identify(client)
    DossierLinkFactory(dossier=dossier, role=LinkRole.HOLDER)
    response = client.post(STEP2, NEW, follow=True)
    assert GENERIC in text_of(response)
    assert not Account.objects.filter(email="julie@exemple.ca").exists()


def test_an_address_already_registered_gets_the_same_page_and_nothing_is_linked(
    client, dossier, account
):
    identify(client)
    page = text_of(client.post(STEP2, {**NEW, "email": account.email, "email2": account.email}))
    assert "Confirmez votre adresse courriel" in page
    assert not DossierLink.objects.exists()
    assert Account.objects.count() == 1


def test_a_signed_in_person_is_sent_to_the_linking_page(client, account):
    client.force_login(account)
    assert client.get(STEP1)["Location"] == "/mon-dossier/activer/membre/"

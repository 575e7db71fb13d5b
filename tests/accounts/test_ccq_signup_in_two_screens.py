"""CCQ's guide (003), step 1: « Se connecter » with its notice, then « Création du compte »
in two screens (email and password, then names and terms), nothing typed lost going back
or on an error; other operators keep their one-screen « Créer un compte »."""

from __future__ import annotations

import pytest
from django.urls import reverse

from guichet import presets
from guichet.accounts.models import Account
from guichet.accounts.signup import SESSION_KEY
from tests.support.captcha import solved_captcha
from tests.support.names import named, text

pytestmark = pytest.mark.django_db

EMAIL = "marie-helene.demers@exemple.ca"
PASSWORD = "Une phrase de passe bien longue"
TERMS = "J'ai lu et j'apprécie les conditions d'utilisation."
SIGNUP = "/compte/signup/"


@pytest.fixture(autouse=True)
def _ccq(settings) -> None:
    settings.GUICHET_PRESET = "ccq"


def first_screen(client, email: str = EMAIL, password: str = PASSWORD, again: str | None = None):
    return client.post(
        SIGNUP,
        {"screen": "1", "email": email, "password1": password, "password2": again or password},
    )


def second_screen(client, **overrides: str):
    data = {
        "screen": "2",
        "first_name": "Marie-Hélène",
        "last_name": "Demers",
        "accept_terms": "on",
        "captcha": solved_captcha(),
        **overrides,
    }
    return client.post(SIGNUP, {k: v for k, v in data.items() if v is not None})


def test_the_sign_in_screen_has_the_guides_words_and_notice(client):
    page = client.get(reverse("account_login"))

    found = named(page)
    for name in [
        ("heading", "Se connecter"),
        ("label", "Adresse courriel"),
        ("label", "Mot de passe"),
        ("link", "Mot de passe oublié ?"),
        ("button", "Connexion"),
        ("link", "Créer un compte"),
    ]:
        assert name in found, name
    words = text(page)
    assert "Nouveau système, nouveau compte requis." in words
    assert "Depuis janvier 2026, tout le monde doit se créer un nouveau compte." in words


def test_the_account_is_created_in_two_screens(client, mailbox, django_capture_on_commit_callbacks):
    one = client.get(SIGNUP)
    found = named(one)
    for name in [
        ("heading", "Création du compte"),
        ("label", "Adresse courriel"),
        ("label", "Mot de passe"),
        ("label", "Confirmez le mot de passe"),
        ("button", "Suivant"),
        ("link", "Retour à l'authentification"),
    ]:
        assert name in found, name
    assert ("label", "Prénom") not in found
    assert "La création d'un compte est réservée aux clients de la CCQ" in text(one)

    moved = first_screen(client)
    assert moved.status_code == 302
    assert moved["Location"] == f"{SIGNUP}?ecran=2"
    assert PASSWORD not in str(client.session[SESSION_KEY])  # kept encrypted
    two = client.get(moved["Location"])
    found = named(two)
    for name in [
        ("heading", "Création du compte"),
        ("label", "Prénom"),
        ("label", "Nom"),
        ("label", TERMS),
        ("button", "Créer mon compte"),
        ("link", "Retour à l'authentification"),
    ]:
        assert name in found, name
    assert ("label", "Adresse courriel") not in found
    assert not Account.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        done = second_screen(client)

    assert done.status_code == 302
    assert done["Location"] == reverse("account_email_verification_sent")
    account = Account.objects.get(email=EMAIL)
    assert (account.first_name, account.last_name) == ("Marie-Hélène", "Demers")
    assert account.terms_accepted_at is not None
    assert account.check_password(PASSWORD)
    assert SESSION_KEY not in client.session
    mailbox.wait_for(EMAIL, "Confirmez votre adresse courriel")


def test_going_back_keeps_what_was_typed_on_both_screens(client):
    first_screen(client)

    back = second_screen(client, first_name="Marie-Hélène", last_name="Demers", back="1")

    assert back.status_code == 302
    assert back["Location"] == f"{SIGNUP}?ecran=1"
    one = client.get(back["Location"]).content.decode()
    assert f'value="{EMAIL}"' in one
    assert one.count(f'value="{PASSWORD}"') == 2
    first_screen(client)
    two = client.get(f"{SIGNUP}?ecran=2").content.decode()
    assert 'value="Marie-Hélène"' in two and 'value="Demers"' in two
    assert not Account.objects.exists()


def test_an_error_on_the_first_screen_keeps_the_address(client):
    page = first_screen(client, again="Une autre phrase de passe")

    assert page.status_code == 200
    assert "Vous devez saisir deux fois le même mot de passe." in text(page)
    assert f'value="{EMAIL}"' in page.content.decode()
    assert ("button", "Suivant") in named(page)
    assert SESSION_KEY not in client.session


def test_terms_not_accepted_keep_the_names_on_the_second_screen(client):
    first_screen(client)

    page = second_screen(client, accept_terms=None)

    assert page.status_code == 200
    assert "Vous devez accepter les conditions d'utilisation" in text(page)
    html = page.content.decode()
    assert 'value="Marie-Hélène"' in html and 'value="Demers"' in html
    assert ("button", "Créer mon compte") in named(page)
    assert not Account.objects.exists()


def test_a_password_made_of_ones_name_sends_back_to_the_first_screen_with_the_reason(client):
    first_screen(client, email="mhd@exemple.ca", password="Marie-Hélène Demers")

    page = second_screen(client)

    assert page.status_code == 200
    assert ("label", "Confirmez le mot de passe") in named(page)
    assert "votre nom ou votre adresse courriel" in text(page)
    assert 'value="mhd@exemple.ca"' in page.content.decode()
    assert not Account.objects.exists()
    client.post(
        SIGNUP,
        {"screen": "1", "email": "mhd@exemple.ca", "password1": PASSWORD, "password2": PASSWORD},
    )
    two = client.get(f"{SIGNUP}?ecran=2").content.decode()
    assert 'value="Marie-Hélène"' in two  # the names typed are still there


def test_the_second_screen_without_the_first_leads_to_the_first(client):
    assert client.get(f"{SIGNUP}?ecran=2").context["screen"] == 1
    sent = second_screen(client)
    assert sent.status_code == 302
    assert sent["Location"] == f"{SIGNUP}?ecran=1"
    assert not Account.objects.exists()


@pytest.mark.parametrize("slug", sorted(set(presets.PRESETS) - {"ccq"}))
def test_other_operators_keep_one_screen(client, settings, slug):
    settings.GUICHET_PRESET = slug

    found = named(client.get(SIGNUP))

    assert ("heading", "Créer un compte") in found
    assert {("label", "Prénom"), ("label", "Courriel"), ("label", "Mot de passe")} <= found
    assert ("label", "Confirmer le mot de passe") in found

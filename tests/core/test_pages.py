"""The public pages answer in French first, English on request, on both databases."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

PUBLIC_PAGES = [
    "core:home",
    "privacy_policy",
    "core:terms",
    "account_login",
    "account_signup",
    "account_reset_password",
    "accounts:resend",
]


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_is_french_by_default(client, name):
    response = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr-CA">' in html
    assert "Connexion" in html and "Créer un compte" in html
    assert "Aller au contenu" in html
    assert "vie.privee@valdeserables.exemple.ca" in html  # privacy officer in the footer


def test_language_switch_sets_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get(reverse("account_login")).content.decode()
    assert '<html lang="en-CA">' in html
    assert "Sign in" in html and "Forgot your password?" in html
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert "Mot de passe oublié ?" in client.get(reverse("account_login")).content.decode()


def test_language_switch_is_remembered_on_the_account(client, account):
    client.force_login(account)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    account.refresh_from_db()
    assert account.language == "en"


def test_signed_in_header_offers_my_file_and_sign_out(client, account):
    client.force_login(account)
    response = client.get(reverse("accounts:security"))
    html = response.content.decode()
    assert "Mon dossier" in html and "Déconnexion" in html
    assert 'href="/mon-dossier/"' in html
    assert "Créer un compte" not in html


@pytest.mark.parametrize("name", ["dossiers:home", "accounts:security", "accounts:activity"])
def test_private_pages_send_visitors_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_private_pages_are_never_cached(client, account):
    client.force_login(account)
    response = client.get(reverse("accounts:security"))
    assert "no-store" in response["Cache-Control"]

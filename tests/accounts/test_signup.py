"""« Créer un compte »: the guides' fields, confirmation link valid 24 h and used once."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import Account
from tests.support.captcha import solved_captcha
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

PASSWORD = "Une phrase de passe bien longue"


def signup_data(**overrides: str) -> dict[str, str]:
    data = {
        "first_name": "Geneviève",
        "last_name": "Lavoie",
        "email": "genevieve.lavoie@exemple.ca",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "accept_terms": "on",
        "captcha": solved_captcha(),
    }
    data.update(overrides)
    return data


def sign_up(client, django_capture_on_commit_callbacks, **overrides: str):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("account_signup"), signup_data(**overrides))


def confirmation_link(mailbox, address: str) -> str:
    message = mailbox.wait_for(address, "Confirm")
    return next(link for link in mailbox.links(message) if "/confirm-email/" in link)


def test_signup_stores_names_terms_and_language_and_sends_a_french_link(
    client, mailbox, django_capture_on_commit_callbacks
):
    response = sign_up(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    account = Account.objects.get(email="genevieve.lavoie@exemple.ca")
    assert (account.first_name, account.last_name, account.language) == (
        "Geneviève",
        "Lavoie",
        "fr",
    )
    assert account.terms_accepted_at is not None
    assert account.password.startswith("argon2$argon2id$")
    message = mailbox.wait_for(account.email, "Confirmez votre adresse courriel")
    body = mailbox.body(message)
    assert "valide pour 24 heures" in body and "une seule fois" in body
    assert PASSWORD not in body


def test_no_sign_in_before_the_email_is_confirmed(
    client, mailbox, django_capture_on_commit_callbacks
):
    sign_up(client, django_capture_on_commit_callbacks)
    client.logout()

    response = client.post(
        reverse("account_login"),
        {"login": "genevieve.lavoie@exemple.ca", "password": PASSWORD},
    )

    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")


def test_link_confirms_once_then_explains_it_was_used(
    client, mailbox, django_capture_on_commit_callbacks
):
    sign_up(client, django_capture_on_commit_callbacks)
    link = confirmation_link(mailbox, "genevieve.lavoie@exemple.ca")
    path = link.split("://", 1)[1].split("/", 1)[1]

    page = client.get(f"/{path}")
    assert "Confirmation de mon adresse courriel" in page.content.decode()
    client.post(f"/{path}")
    assert EmailAddress.objects.get(email="genevieve.lavoie@exemple.ca").verified

    again = text_of(client.get(f"/{path}"))
    assert "déjà été utilisé" in again


def test_link_older_than_24_hours_is_refused_and_offers_a_new_one(
    client, mailbox, django_capture_on_commit_callbacks
):
    sign_up(client, django_capture_on_commit_callbacks)
    link = confirmation_link(mailbox, "genevieve.lavoie@exemple.ca")
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]

    with time_machine.travel(timezone.now() + timedelta(hours=24, minutes=1)):
        page = text_of(client.get(path))
        assert "a expiré" in page
        assert 'value="genevieve.lavoie@exemple.ca"' in page
        client.post(path)  # a POST with the expired key confirms nothing
        assert not EmailAddress.objects.get(email="genevieve.lavoie@exemple.ca").verified
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("accounts:resend"), {"email": "genevieve.lavoie@exemple.ca"})
        new_message = mailbox.wait_for("genevieve.lavoie@exemple.ca", "Confirm", count=2)
        new_link = next(link for link in mailbox.links(new_message) if "/confirm-email/" in link)
        assert new_link != link
        client.post("/" + new_link.split("://", 1)[1].split("/", 1)[1])
    assert EmailAddress.objects.get(email="genevieve.lavoie@exemple.ca").verified


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("accept_terms", "", "accepter les conditions d'utilisation"),
        ("password2", "Autre chose que la première", "même mot de passe"),
        ("captcha", "", "vérification anti-robot"),
    ],
)
def test_bad_input_keeps_what_was_typed(client, field, value, message):
    data = signup_data(**{field: value})
    if not value:
        data.pop(field)
    response = client.post(reverse("account_signup"), data)

    html = text_of(response)
    assert response.status_code == 200
    assert message in html
    assert 'value="Geneviève"' in html and 'value="genevieve.lavoie@exemple.ca"' in html
    if field != "captcha":  # the check is no input of the person's
        assert f'aria-describedby="id_{field}_errors"' in html
        assert 'aria-invalid="true"' in html
    assert not Account.objects.exists()


def test_signup_with_a_taken_address_answers_the_same_and_warns_the_owner(
    client, account, mailbox, django_capture_on_commit_callbacks
):
    response = sign_up(client, django_capture_on_commit_callbacks, email=account.email)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert Account.objects.filter(email__iexact=account.email).count() == 1
    assert mailbox.wait_for(account.email)  # the owner is told someone tried


def test_signup_hashes_the_password_whether_or_not_the_address_is_taken(
    client, account, monkeypatch, django_capture_on_commit_callbacks
):
    """The taken-address path must cost what the new-account path costs, or its speed
    tells that the address has an account: the work done is compared, not the clock."""
    hashed: list[str] = []
    encode = Argon2PasswordHasher.encode

    def counting_encode(self, password, salt):
        hashed.append(password)
        return encode(self, password, salt)

    monkeypatch.setattr(Argon2PasswordHasher, "encode", counting_encode)

    sign_up(client, django_capture_on_commit_callbacks)
    new_address = list(hashed)
    hashed.clear()
    client.logout()
    sign_up(client, django_capture_on_commit_callbacks, email=account.email)

    assert new_address == [PASSWORD]
    assert hashed == new_address


def test_signup_refuses_a_password_made_of_the_persons_own_name(client):
    """At sign-up the account does not exist yet: the names typed in the form are used."""
    response = client.post(
        reverse("account_signup"),
        signup_data(
            email="gl2026@exemple.ca", password1="Lavoie Geneviève", password2="Lavoie Geneviève"
        ),
    )

    assert response.status_code == 200
    assert "votre nom ou votre adresse courriel" in text_of(response)
    assert not Account.objects.exists()

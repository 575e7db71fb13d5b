"""Changing the email: password asked again, new address verified first, old one told."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from tests.support.pages import text_of

pytestmark = pytest.mark.django_db


def add_email(client, address: str, again: str | None = None):
    return client.post(
        reverse("account_email"),
        {"action_add": "", "email": address, "email2": address if again is None else again},
    )


def test_email_change_asks_for_the_password_again(client, account, password):
    client.post(reverse("account_login"), {"login": account.email, "password": password})

    response = add_email(client, "autre@exemple.ca")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not EmailAddress.objects.filter(email="autre@exemple.ca").exists()


def test_email_change_takes_effect_only_once_the_new_address_is_confirmed(
    client, account, password, mailbox, django_capture_on_commit_callbacks
):
    old = account.email
    client.post(reverse("account_login"), {"login": old, "password": password})
    client.post(reverse("account_reauthenticate"), {"password": password})

    with django_capture_on_commit_callbacks(execute=True):
        response = add_email(client, "nouvelle@exemple.ca")
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.email == old  # not yet

    message = mailbox.wait_for("nouvelle@exemple.ca", "Confirmez")
    link = next(u for u in mailbox.links(message) if "/confirm-email/" in u)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/" + link.split("://", 1)[1].split("/", 1)[1])

    account.refresh_from_db()
    assert account.email == "nouvelle@exemple.ca"
    assert EmailAddress.objects.get(user=account, primary=True).email == "nouvelle@exemple.ca"
    assert not EmailAddress.objects.filter(email=old).exists()
    notice = mailbox.wait_for(old)  # the old address is told
    assert "nouvelle@exemple.ca" in mailbox.body(notice)


def test_the_new_address_is_asked_twice_and_a_difference_is_explained(client, account, password):
    client.post(reverse("account_login"), {"login": account.email, "password": password})
    client.post(reverse("account_reauthenticate"), {"password": password})

    page = text_of(client.get(reverse("account_email")))
    assert "Nouvelle adresse courriel" in page
    assert "Confirmez la nouvelle adresse courriel" in page

    response = add_email(client, "nouvelle@exemple.ca", again="nouvele@exemple.ca")

    html = text_of(response)
    assert response.status_code == 200
    assert "Les deux adresses diffèrent" in html
    assert 'aria-describedby="id_email2_errors"' in html
    assert 'value="nouvelle@exemple.ca"' in html  # what was typed stays
    assert not EmailAddress.objects.filter(email="nouvelle@exemple.ca").exists()


def test_a_person_with_two_factor_authentication_can_change_their_address(
    client, account, password, mailbox, django_capture_on_commit_callbacks
):
    TOTP.activate(account, generate_totp_secret())
    client.force_login(account)
    client.post(reverse("account_reauthenticate"), {"password": password})

    with django_capture_on_commit_callbacks(execute=True):
        response = add_email(client, "nouvelle@exemple.ca")

    assert response.status_code == 302
    assert EmailAddress.objects.filter(email="nouvelle@exemple.ca", verified=False).exists()
    assert mailbox.wait_for("nouvelle@exemple.ca", "Confirmez")

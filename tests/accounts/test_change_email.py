"""Changing the email: password asked again, new address verified first, old one told."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

pytestmark = pytest.mark.django_db


def add_email(client, address: str):
    return client.post(reverse("account_email"), {"action_add": "", "email": address})


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

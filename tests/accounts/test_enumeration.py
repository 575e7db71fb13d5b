"""Reset and resend answer the same whether or not an account uses the address."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.support.captcha import solved_captcha

pytestmark = pytest.mark.django_db


def reset(client, email: str, capture):
    with capture(execute=True):
        return client.post(
            reverse("account_reset_password"), {"email": email, "captcha": solved_captcha()}
        )


def same_page(first, second) -> bool:
    """Equal but for the CSRF token and the CSP nonce, which differ on every page."""
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|nonce="[^"]+"')
    return token.sub("", first.content.decode()) == token.sub("", second.content.decode())


def test_reset_answers_the_same_for_known_and_unknown_addresses(
    client, account, mailbox, django_capture_on_commit_callbacks
):
    known = reset(client, account.email, django_capture_on_commit_callbacks)
    unknown = reset(client, "inconnu@exemple.ca", django_capture_on_commit_callbacks)

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert same_page(client.get(known["Location"]), client.get(unknown["Location"]))
    message = mailbox.wait_for(account.email, "Réinitialisez votre mot de passe")
    assert any("/password/reset/key/" in link for link in mailbox.links(message))


def test_reset_email_never_contains_a_password(
    client, account, password, mailbox, django_capture_on_commit_callbacks
):
    reset(client, account.email, django_capture_on_commit_callbacks)
    body = mailbox.body(mailbox.wait_for(account.email))
    assert password not in body
    assert "jamais de mot de passe" in body


def test_reset_requires_the_anti_robot_check(client, account):
    response = client.post(reverse("account_reset_password"), {"email": account.email})
    assert response.status_code == 200
    assert "vérification anti-robot" in response.content.decode()


def test_resend_confirmation_answers_the_same_for_any_address(client, account):
    known = client.post(reverse("accounts:resend"), {"email": account.email})
    unknown = client.post(reverse("accounts:resend"), {"email": "inconnu@exemple.ca"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_reset_is_rate_limited_per_address(client, account, django_capture_on_commit_callbacks):
    statuses = [
        reset(client, account.email, django_capture_on_commit_callbacks).status_code
        for _ in range(4)
    ]
    assert statuses[:3] == [302, 302, 302]
    assert statuses[3] == 429


def test_resend_confirmation_is_rate_limited_per_address_of_the_sender(client):
    statuses = [
        client.post(reverse("accounts:resend"), {"email": f"x{n}@exemple.ca"}).status_code
        for n in range(6)
    ]
    assert statuses == [302] * 5 + [429]

"""Sessions: « Se souvenir de moi », rotation at sign-in, server-side sign-out."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def sign_in(client, account, password, remember: bool):
    data = {"login": account.email, "password": password}
    if remember:
        data["remember"] = "on"
    return client.post(reverse("account_login"), data)


def test_remember_me_keeps_the_session_30_days(client, account, password):
    sign_in(client, account, password, remember=True)
    assert client.session.get_expire_at_browser_close() is False
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 30 * 24 * 3600
    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"]


def test_without_remember_me_the_session_ends_with_the_browser(client, account, password):
    sign_in(client, account, password, remember=False)
    assert client.session.get_expire_at_browser_close() is True
    assert not client.cookies[settings.SESSION_COOKIE_NAME]["max-age"]


def test_sign_in_rotates_the_session_key(client, account, password):
    client.get(reverse("account_login"))
    client.session.save()
    before = client.session.session_key
    sign_in(client, account, password, remember=False)
    assert client.session.session_key != before


def test_sign_out_ends_the_session_on_the_server(client, account, password):
    sign_in(client, account, password, remember=False)
    key = client.session.session_key
    client.post(reverse("account_logout"))
    assert not Session.objects.filter(session_key=key).exists()


def test_password_change_ends_the_other_sessions(
    account, password, mailbox, django_capture_on_commit_callbacks
):
    elsewhere, here = Client(), Client()
    sign_in(elsewhere, account, password, remember=False)
    sign_in(here, account, password, remember=False)

    with django_capture_on_commit_callbacks(execute=True):
        response = here.post(
            reverse("account_change_password"),
            {
                "oldpassword": password,
                "password1": "Une nouvelle phrase secrète",
                "password2": "Une nouvelle phrase secrète",
            },
        )

    assert response.status_code == 302
    assert here.get(reverse("accounts:security")).status_code == 200
    assert elsewhere.get(reverse("accounts:security")).status_code == 302
    notice = mailbox.wait_for(account.email, "mot de passe")
    assert "Une nouvelle phrase secrète" not in mailbox.body(notice)


def test_password_change_requires_the_current_password(client, account, password):
    client.force_login(account)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "pas le bon",
            "password1": "Une nouvelle phrase secrète",
            "password2": "Une nouvelle phrase secrète",
        },
    )
    assert response.status_code == 200
    account.refresh_from_db()
    assert account.check_password(password)

"""Recovery codes stand in for the authenticator app, each one once."""

from __future__ import annotations

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

pytestmark = pytest.mark.django_db


def start_sign_in(client, account, password):
    response = client.post(reverse("account_login"), {"login": account.email, "password": password})
    assert response["Location"] == reverse("mfa_authenticate")


def test_a_recovery_code_signs_in_once(client, account, password):
    TOTP.activate(account, generate_totp_secret())
    code = RecoveryCodes.activate(account).get_unused_codes()[0]

    start_sign_in(client, account, password)
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert client.session["_auth_user_id"] == str(account.pk)

    client.logout()
    start_sign_in(client, account, password)
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200

"""No password, token or code is ever written to a log."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse

from tests.support.captcha import solved_captcha

pytestmark = pytest.mark.django_db


def test_signup_login_and_reset_log_no_secret(
    client, caplog, mailbox, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.EMAIL_BACKEND = "guichet.core.mail.EmlFileBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    secret = "Une phrase très secrète 2026"
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {
                "first_name": "Luc",
                "last_name": "Bouchard",
                "email": "luc@exemple.ca",
                "password1": secret,
                "password2": secret,
                "accept_terms": "on",
                "captcha": solved_captcha(),
            },
        )
        client.post(reverse("account_login"), {"login": "luc@exemple.ca", "password": "faux!"})
        client.post(
            reverse("account_reset_password"),
            {"email": "luc@exemple.ca", "captcha": solved_captcha()},
        )
    sent = "".join(path.read_text() for path in tmp_path.glob("*.eml"))
    keys = [part.split("/")[0] for part in sent.split("/confirm-email/")[1:]]
    keys += [part.split("/")[0] for part in sent.split("/password/reset/key/")[1:]]
    assert len(keys) == 2
    logged = caplog.text
    assert secret not in logged and "faux!" not in logged
    for key in keys:
        assert key not in logged

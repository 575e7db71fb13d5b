"""The emails are signed with the operator's name, once, under every preset."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from guichet import presets
from guichet.presets import PRESETS
from tests.support.captcha import solved_captcha

pytestmark = pytest.mark.django_db

PROJECT = Path(presets.__file__).parent


@pytest.mark.parametrize("preset", list(PRESETS))
def test_reset_email_is_signed_with_the_operators_name_once(
    client, settings, account, mailbox, django_capture_on_commit_callbacks, preset
):
    settings.GUICHET_PRESET = preset
    operator = presets.active()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_reset_password"),
            {"email": account.email, "captcha": solved_captcha()},
        )

    body = mailbox.body(mailbox.wait_for(account.email))
    assert f"— {operator.operator_name}\r\n" in body
    assert body.count(operator.operator_name) == 1
    assert "services en ligne de Services en ligne" not in body


def test_every_email_template_uses_the_one_signature():
    """The signature is written once (core/email/signature.txt), not per email."""
    own_signature = [
        path.relative_to(PROJECT)
        for path in PROJECT.rglob("templates/**/*_message.txt")
        if "The online services of" in path.read_text()
    ]
    assert own_signature == []

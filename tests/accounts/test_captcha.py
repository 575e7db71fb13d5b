"""The proof-of-work check: real verification, one use per solution, expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from guichet.accounts.captcha import verify
from tests.support.captcha import solved_captcha


def test_a_solution_is_accepted_once():
    payload = solved_captcha()
    assert verify(payload) is True
    assert verify(payload) is False


def test_a_forged_number_is_refused():
    import base64
    import json

    payload = json.loads(base64.b64decode(solved_captcha()))
    payload["number"] += 1
    assert verify(base64.b64encode(json.dumps(payload).encode()).decode()) is False


def test_an_expired_challenge_is_refused():
    payload = solved_captcha()
    with time_machine.travel(timezone.now() + timedelta(minutes=21)):
        assert verify(payload) is False


@pytest.mark.parametrize("garbage", ["", "pas du base64", "e30="])
def test_garbage_is_refused(garbage):
    from django import forms

    from guichet.accounts.captcha import AltchaField

    with pytest.raises(forms.ValidationError):
        AltchaField().clean(garbage)

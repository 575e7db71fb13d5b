"""Progressive lockout: per address, same answer for unknown ones, owner told, reset lifts it."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from guichet.accounts import lockout
from guichet.audit.models import Action, AuditEvent
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db


def attempt(client, email: str, password: str):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def fail(client, email: str, times: int, capture) -> str:
    html = ""
    for _ in range(times):
        with capture(execute=True):
            html = text_of(attempt(client, email, "mauvais mot de passe"))
    return html


def test_fifth_failure_locks_even_the_right_password_and_tells_the_owner(
    client, account, password, mailbox, django_capture_on_commit_callbacks, settings
):
    html = fail(client, account.email, 4, django_capture_on_commit_callbacks)
    assert "courriel ou le mot de passe est incorrect" in html

    html = fail(client, account.email, 1, django_capture_on_commit_callbacks)
    assert "bloquée jusqu'à" in html

    response = attempt(client, account.email, password)
    assert "_auth_user_id" not in client.session
    assert "bloquée jusqu'à" in text_of(response)

    notice = mailbox.wait_for(account.email, "bloquée")
    assert password not in mailbox.body(notice)
    assert AuditEvent.objects.filter(subject=account, action=Action.LOCKED).count() == 1
    assert AuditEvent.objects.filter(subject=account, action=Action.LOGIN_FAILED).count() == 5


def test_unknown_address_gets_the_same_answers(client, django_capture_on_commit_callbacks):
    html = fail(client, "personne@nulle-part.ca", 4, django_capture_on_commit_callbacks)
    assert "courriel ou le mot de passe est incorrect" in html
    html = fail(client, "personne@nulle-part.ca", 1, django_capture_on_commit_callbacks)
    assert "bloquée jusqu'à" in html


def test_lock_expires_and_the_next_one_lasts_twice_as_long(
    client, account, password, django_capture_on_commit_callbacks, settings
):
    fail(client, account.email, 5, django_capture_on_commit_callbacks)
    first = lockout.locked_until(account.email)
    assert first is not None
    assert first - timezone.now() == pytest.approx(timedelta(minutes=15), abs=timedelta(seconds=5))

    with time_machine.travel(first + timedelta(seconds=1)):
        assert lockout.locked_until(account.email) is None
        # allauth's own per-address limit (5 in 5 minutes) has also passed by now.
        fail(client, account.email, 5, django_capture_on_commit_callbacks)
        second = lockout.locked_until(account.email)
        assert second - timezone.now() == pytest.approx(
            timedelta(minutes=30), abs=timedelta(seconds=5)
        )


def test_successful_sign_in_clears_the_count(client, account, password, settings):
    for _ in range(4):
        attempt(client, account.email, "mauvais")
    attempt(client, account.email, password)
    assert "_auth_user_id" in client.session
    client.logout()
    attempt(client, account.email, "mauvais")
    assert lockout.locked_until(account.email) is None


def test_password_reset_lifts_the_lock(client, account, django_capture_on_commit_callbacks):
    fail(client, account.email, 5, django_capture_on_commit_callbacks)
    assert lockout.locked_until(account.email)

    account.set_password("Une toute nouvelle phrase secrète")
    account.save()
    from allauth.account import signals

    signals.password_reset.send(sender=type(account), request=None, user=account)
    assert lockout.locked_until(account.email) is None

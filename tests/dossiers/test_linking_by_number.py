"""Linking by file number and birth date (Baie-Comeau): accepted, refused, throttled, told."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from guichet.audit.models import Action, AuditEvent, Right
from guichet.dossiers.models import Dossier, DossierLink, LinkAttempt, LinkRole
from tests.dossiers.factories import DossierFactory, DossierLinkFactory
from tests.factories import AccountFactory
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

URL = "/mon-dossier/activer/numero/"
GENERIC = "Nous n'avons pas pu lier un dossier avec ces renseignements"


@pytest.fixture(autouse=True)
def baie_comeau(settings):
    settings.GUICHET_PRESET = "baie-comeau"


@pytest.fixture
def dossier():
    return DossierFactory(number="104523", birth_date=datetime.date(1984, 5, 12))


def attempt(client, number="104523", birth_date="1984/05/12"):
    return client.post(URL, {"number": number, "birth_date": birth_date})


def test_number_and_birth_date_link_the_account_and_tell_the_owner(
    client, account, dossier, mailbox, django_capture_on_commit_callbacks
):
    client.force_login(account)
    with django_capture_on_commit_callbacks(execute=True):
        response = attempt(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("dossiers:household")
    link = DossierLink.objects.get(account=account, dossier=dossier)
    assert link.role == LinkRole.HOLDER
    assert link.method == "number_birth_date"
    event = AuditEvent.objects.get(action=Action.DOSSIER_LINKED)
    assert (event.actor, event.dossier, event.right) == (account, dossier, Right.SELF)
    message = mailbox.wait_for(dossier.email, "lié")
    assert "104523" in mailbox.body(message)


def test_iso_date_is_accepted_too(client, account, dossier):
    client.force_login(account)
    attempt(client, birth_date="1984-05-12")
    assert DossierLink.objects.filter(account=account, dossier=dossier).exists()


def test_unknown_number_and_wrong_birth_date_get_the_same_answer(client, account, dossier):
    client.force_login(account)
    wrong_date = text_of(attempt(client, birth_date="1984/05/13"))
    unknown = text_of(attempt(client, number="999999"))

    assert GENERIC in wrong_date
    assert GENERIC in unknown
    assert "104523" not in unknown  # nothing typed is lost, nothing else revealed
    assert not DossierLink.objects.exists()
    assert LinkAttempt.objects.filter(succeeded=False).count() == 2
    assert AuditEvent.objects.filter(action=Action.LINK_FAILED).count() == 2
    assert AuditEvent.objects.filter(action=Action.LINK_FAILED, dossier=dossier).count() == 1


def test_badly_typed_date_is_explained_beside_the_field_and_kept(client, account, dossier):
    client.force_login(account)
    page = text_of(attempt(client, birth_date="12 mai 1984"))
    assert "Écrivez la date sous la forme AAAA-MM-JJ ou JJ/MM/AAAA" in page
    assert 'value="12 mai 1984"' in page
    assert not LinkAttempt.objects.exists()


def test_five_failures_lock_the_dossier_and_the_right_secret_is_then_refused(
    client, account, dossier, mailbox, django_capture_on_commit_callbacks
):
    client.force_login(account)
    with django_capture_on_commit_callbacks(execute=True):
        for day in range(1, 6):
            response = attempt(client, birth_date=f"1990/01/{day:02d}")

    assert "est bloquée pendant 30 minutes" in text_of(response)
    dossier.refresh_from_db()
    assert dossier.linking_locked_until is not None
    assert AuditEvent.objects.filter(action=Action.LINK_LOCKED, dossier=dossier).count() == 1
    mailbox.wait_for(dossier.email, "bloqué")

    response = attempt(client)  # the right answer, while locked
    assert "est bloquée pendant 30 minutes" in text_of(response)
    assert not DossierLink.objects.exists()
    refused = AuditEvent.objects.filter(action=Action.LINK_FAILED, dossier=dossier).first()
    assert refused.data["reason"] == "locked"


def test_lock_ends_after_thirty_minutes(client, account, dossier, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 1, 15, 0, tzinfo=datetime.UTC))
    client.force_login(account)
    for day in range(1, 6):
        attempt(client, birth_date=f"1990/01/{day:02d}")
    time_machine.move_to(datetime.datetime(2026, 3, 1, 15, 31, tzinfo=datetime.UTC))
    attempt(client)
    assert DossierLink.objects.filter(account=account, dossier=dossier).exists()


def test_an_account_with_ten_failures_in_an_hour_is_refused_further_attempts(
    client, account, dossier
):
    client.force_login(account)
    for number in range(900000, 900010):
        attempt(client, number=str(number))
    response = attempt(client)
    assert "Trop de tentatives" in text_of(response)
    assert not DossierLink.objects.exists()


def test_a_child_cannot_be_the_account_holder(client, account):
    DossierFactory(number="104530", birth_date=datetime.date(2015, 9, 14))
    client.force_login(account)
    response = attempt(client, number="104530", birth_date="2015/09/14")
    # Knowledge alone proves nothing: the refusal reads like a wrong answer, with the rule.
    assert GENERIC in text_of(response)
    assert "un enfant est ajouté par un tuteur depuis" in text_of(response)
    assert not DossierLink.objects.exists()
    assert AuditEvent.objects.get(action=Action.LINK_FAILED).data["reason"] == "minor"


def test_a_dossier_held_by_another_account_gets_the_generic_refusal(client, account, dossier):
    DossierLinkFactory(dossier=dossier, account=AccountFactory())
    client.force_login(account)
    response = attempt(client)
    assert GENERIC in text_of(response)
    assert DossierLink.objects.filter(dossier=dossier).count() == 1


def test_an_account_holds_only_one_dossier(client, account, dossier):
    DossierLinkFactory(account=account, dossier=DossierFactory())
    client.force_login(account)
    response = attempt(client)
    assert "Votre compte est déjà lié à votre propre dossier" in text_of(response)


def test_visitors_are_sent_to_sign_in(client, dossier):
    response = attempt(client)
    assert response.status_code == 302
    assert "/compte/login/" in response["Location"]
    assert Dossier.objects.get().links.count() == 0


def test_a_race_for_the_same_dossier_ends_in_the_generic_refusal(
    client, account, dossier, monkeypatch
):
    from django.db import IntegrityError

    from guichet.dossiers.services import linking

    def taken(*args, **kwargs):
        raise IntegrityError("one_holder_per_dossier")

    monkeypatch.setattr(linking.conclusion, "make_link", taken)
    client.force_login(account)
    response = attempt(client)
    assert GENERIC in text_of(response)
    assert LinkAttempt.objects.get().succeeded is False

"""Staff read the whole audit trail and filter it."""

from __future__ import annotations

import datetime

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from guichet.audit.models import Action, AuditEvent, Right
from tests.dossiers.factories import DossierFactory
from tests.factories import AccountFactory
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

JOURNAL = reverse("audit:journal")
MONTREAL = datetime.timezone(datetime.timedelta(hours=-4))  # EDT, as in June


@pytest.fixture
def staff_client(client, staff):
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={})
    client.force_login(staff)
    AuditEvent.objects.all().delete()  # the sign-in above is in the trail too
    return client


def event(action: Action, *, when: datetime.datetime | None = None, **fields) -> AuditEvent:
    created = AuditEvent.objects.create(
        action=action, right=fields.pop("right", Right.SELF), **fields
    )
    if when is not None:
        AuditEvent.objects.filter(pk=created.pk).update(occurred_at=when)
    return created


def rows(response) -> int:
    return text_of(response).count("<tr>") - 1  # minus the header row


def test_visitors_are_sent_to_sign_in(client):
    response = client.get(JOURNAL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_people_who_are_not_staff_get_not_found(client, account):
    client.force_login(account)
    assert client.get(JOURNAL).status_code == 404


def test_journal_shows_who_did_what_for_whom_under_which_right(staff_client, staff, account):
    dossier = DossierFactory(number="55501")
    event(Action.PROFILE_CHANGED, actor=staff, subject=account, dossier=dossier, right=Right.STAFF)
    page = text_of(staff_client.get(JOURNAL))
    assert "<h1>Piste de vérification</h1>" in page
    assert staff.email in page and account.email in page
    assert "55501" in page
    assert "Personnel" in page


def test_journal_shows_the_details_recorded(staff_client, staff, account):
    event(
        Action.PROFILE_CHANGED,
        actor=staff,
        subject=account,
        right=Right.STAFF,
        data={"before": {"last_name": "Tremblay"}, "after": {"last_name": "Roy"}},
    )
    page = text_of(staff_client.get(JOURNAL))
    assert "Détails" in page
    assert "Tremblay" in page and "Roy" in page


def test_filter_by_action(staff_client, account):
    event(Action.LOGIN, actor=account, subject=account)
    event(Action.REQUEST_SUBMITTED, actor=account, subject=account)
    response = staff_client.get(JOURNAL, {"action": Action.REQUEST_SUBMITTED})
    assert rows(response) == 1
    assert "Demande envoyée" in text_of(response)


def test_filter_by_account_email_matches_who_acted_or_for_whom(staff_client, staff):
    person = AccountFactory(email="cible@exemple.ca")
    other = AccountFactory(email="autre@exemple.ca")
    event(Action.LOGIN, actor=person, subject=person)
    event(Action.DELEGATION_GRANTED, actor=staff, subject=person, right=Right.STAFF)
    event(Action.LOGIN, actor=other, subject=other)
    response = staff_client.get(JOURNAL, {"email": "CIBLE@"})
    assert rows(response) == 2
    assert "autre@exemple.ca" not in text_of(response)


def test_filter_by_dossier_number(staff_client, account):
    wanted, other = DossierFactory(number="77701"), DossierFactory(number="77702")
    event(Action.DOSSIER_LINKED, actor=account, dossier=wanted)
    event(Action.DOSSIER_LINKED, actor=account, dossier=other)
    response = staff_client.get(JOURNAL, {"dossier": "77701"})
    assert rows(response) == 1
    assert "77702" not in text_of(response)


def test_filter_by_montreal_days_both_included(staff_client, account):
    # 23:30 in Montreal on June 9 is already June 10 in UTC: it belongs to June 9.
    event(Action.LOGIN, actor=account, when=datetime.datetime(2026, 6, 9, 23, 30, tzinfo=MONTREAL))
    event(Action.LOGIN, actor=account, when=datetime.datetime(2026, 6, 10, 8, 0, tzinfo=MONTREAL))
    event(Action.LOGIN, actor=account, when=datetime.datetime(2026, 6, 11, 0, 5, tzinfo=MONTREAL))
    assert rows(staff_client.get(JOURNAL, {"since": "2026-06-10", "until": "2026-06-10"})) == 1
    assert rows(staff_client.get(JOURNAL, {"until": "2026-06-09"})) == 1
    assert rows(staff_client.get(JOURNAL, {"since": "2026-06-10"})) == 2


def test_a_reversed_date_range_is_explained(staff_client):
    response = staff_client.get(JOURNAL, {"since": "2026-06-10", "until": "2026-06-01"})
    page = text_of(response)
    assert "La date de fin doit être égale ou postérieure à la date de début." in page
    assert 'value="2026-06-10"' in page


def test_journal_is_paginated_and_keeps_the_filters(staff_client, account):
    for _ in range(55):
        event(Action.LOGIN, actor=account, subject=account)
    event(Action.LOGOUT, actor=account, subject=account)
    first = staff_client.get(JOURNAL, {"action": Action.LOGIN})
    assert rows(first) == 50
    assert "action=account.login&amp;page=2" in first.content.decode()
    second = staff_client.get(JOURNAL, {"action": Action.LOGIN, "page": 2})
    assert rows(second) == 5


def test_query_count_stays_flat_with_many_rows(staff_client, django_assert_max_num_queries):
    # Without select_related every row would fetch its actor, subject and dossier again,
    # even when they repeat: two accounts are enough to show it (and quick to create).
    actor, subject = AccountFactory(), AccountFactory()

    def add(count: int) -> None:
        for _ in range(count):
            event(Action.PROFILE_CHANGED, actor=actor, subject=subject, dossier=DossierFactory())

    add(3)
    with django_assert_max_num_queries(12) as few:
        staff_client.get(JOURNAL)
    add(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = staff_client.get(JOURNAL, {"action": Action.PROFILE_CHANGED})
    assert rows(response) == 33

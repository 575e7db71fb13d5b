"""Delegates (UMQ « super-utilisateur »): staff grant and end the right, with dates."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.urls import reverse

from guichet.audit.models import Action, AuditEvent, Right
from guichet.dossiers.models import Delegation, DossierKind
from guichet.dossiers.permissions import active_delegation
from guichet.dossiers.services.delegation import end_delegation, grant_delegation
from tests.dossiers.factories import DossierFactory
from tests.factories import AccountFactory
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 4, 1)
PAGE = reverse("dossiers:staff_delegations")


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(datetime.datetime(2026, 4, 1, 15, 0, tzinfo=datetime.UTC)):
        yield


@pytest.fixture
def staff_client(client, staff):
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={})
    client.force_login(staff)
    return client


@pytest.fixture
def delegate(db):
    return AccountFactory(
        first_name="Maxime", last_name="Desormeaux", email="maxime@umq.exemple.ca"
    )


def test_a_grant_has_dates_is_audited_and_told_to_the_person(
    staff, delegate, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        delegation = grant_delegation(
            delegate,
            starts_on=TODAY,
            ends_on=datetime.date(2026, 4, 30),
            note="Assises 2026",
            actor=staff,
        )
    assert (delegation.starts_on, delegation.ends_on) == (TODAY, datetime.date(2026, 4, 30))
    assert delegation.granted_by == staff
    assert active_delegation(delegate) == delegation
    event = AuditEvent.objects.get(action=Action.DELEGATION_GRANTED)
    assert (event.actor, event.subject, event.right) == (staff, delegate, Right.STAFF)
    assert event.data == {
        "delegation": delegation.pk,
        "starts_on": "2026-04-01",
        "ends_on": "2026-04-30",
    }
    body = mailbox.body(mailbox.wait_for(delegate.email, "agir pour d'autres"))
    assert "super-utilisateur" in body
    assert "du 1er avril 2026 au 30 avril 2026" in body


def test_a_right_is_in_force_only_between_its_dates(staff, delegate):
    grant_delegation(delegate, starts_on=datetime.date(2026, 5, 1), ends_on=None, actor=staff)
    assert active_delegation(delegate) is None
    with time_machine.travel(datetime.datetime(2026, 5, 1, 16, 0, tzinfo=datetime.UTC)):
        assert active_delegation(delegate) is not None


def test_a_grant_cannot_end_before_it_starts(staff, delegate):
    with pytest.raises(ValueError):
        grant_delegation(delegate, starts_on=TODAY, ends_on=datetime.date(2026, 3, 1), actor=staff)
    assert not Delegation.objects.exists()


def test_ending_a_right_stops_it_today_and_is_audited(
    staff, delegate, mailbox, django_capture_on_commit_callbacks
):
    delegation = grant_delegation(
        delegate, starts_on=datetime.date(2026, 1, 1), ends_on=None, actor=staff
    )
    with django_capture_on_commit_callbacks(execute=True):
        ended = end_delegation(delegation, actor=staff)
    assert ended.ends_on == datetime.date(2026, 3, 31)
    assert active_delegation(delegate) is None
    event = AuditEvent.objects.get(action=Action.DELEGATION_ENDED)
    assert (event.actor, event.subject, event.right) == (staff, delegate, Right.STAFF)
    assert event.data["starts_on"] == "2026-01-01"
    assert event.data["ended_on"] == "2026-03-31"
    assert "a pris fin" in mailbox.wait_for(delegate.email, "a pris fin")["Subject"]


def test_ending_a_right_that_has_not_started_withdraws_it(staff, delegate):
    delegation = grant_delegation(
        delegate, starts_on=datetime.date(2026, 6, 1), ends_on=None, actor=staff
    )
    assert end_delegation(delegation, actor=staff) is None
    assert not Delegation.objects.exists()
    event = AuditEvent.objects.get(action=Action.DELEGATION_ENDED)
    assert event.data["withdrawn"] is True
    assert event.data["starts_on"] == "2026-06-01"


# The staff page --------------------------------------------------------------------------
def test_visitors_are_sent_to_sign_in(client, delegate):
    delegation = Delegation.objects.create(account=delegate, starts_on=TODAY)
    urls = [
        PAGE,
        reverse("dossiers:staff_delegation_grant", args=[delegate.pk]),
        reverse("dossiers:staff_delegation_end", args=[delegation.pk]),
    ]
    for url in urls:
        response = client.get(url) if "terminer" not in url else client.post(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_people_who_are_not_staff_get_not_found(client, account, delegate):
    delegation = Delegation.objects.create(account=delegate, starts_on=TODAY)
    client.force_login(account)
    assert client.get(PAGE).status_code == 404
    grant_url = reverse("dossiers:staff_delegation_grant", args=[account.pk])
    assert client.post(grant_url, {"starts_on": "2026-04-01"}).status_code == 404
    end_url = reverse("dossiers:staff_delegation_end", args=[delegation.pk])
    assert client.post(end_url).status_code == 404
    assert Delegation.objects.get().ends_on is None
    assert not Delegation.objects.filter(account=account).exists()


def test_staff_find_an_account_by_name_or_email(staff_client, delegate):
    AccountFactory(first_name="Autre", last_name="Personne", email="autre@exemple.ca")
    page = text_of(staff_client.get(PAGE, {"q": "maxime desor"}))
    assert "<h1>Droits d'agir pour d'autres personnes</h1>" in page
    assert "maxime@umq.exemple.ca" in page
    assert "autre@exemple.ca" not in page
    assert reverse("dossiers:staff_delegation_grant", args=[delegate.pk]) in page
    assert "maxime@umq" in text_of(staff_client.get(PAGE, {"q": "UMQ.exemple"}))


def test_staff_grant_with_dates_from_the_page(
    staff_client, staff, delegate, mailbox, django_capture_on_commit_callbacks
):
    organization = DossierFactory(
        kind=DossierKind.ORGANIZATION, number="90001", organization_name="Ville de Gaspé"
    )
    url = reverse("dossiers:staff_delegation_grant", args=[delegate.pk])
    form_page = text_of(staff_client.get(url))
    assert "Date de début" in form_page
    assert 'value="2026-04-01"' in form_page  # starts today unless staff say otherwise
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            url,
            {
                "starts_on": "2026-04-01",
                "ends_on": "2026-04-17",
                "organization_number": "90001",
                "note": "Assises",
            },
        )
    assert response["Location"] == PAGE
    delegation = Delegation.objects.get()
    assert (delegation.account, delegation.organization) == (delegate, organization)
    assert delegation.ends_on == datetime.date(2026, 4, 17)
    assert AuditEvent.objects.get(action=Action.DELEGATION_GRANTED).dossier == organization
    mailbox.wait_for(delegate.email, "agir pour d'autres")
    page = text_of(staff_client.get(PAGE))
    assert "maxime@umq.exemple.ca" in page and "17 avril 2026" in page


def test_bad_dates_are_explained_and_kept(staff_client, delegate):
    url = reverse("dossiers:staff_delegation_grant", args=[delegate.pk])
    response = staff_client.post(
        url, {"starts_on": "2026-04-20", "ends_on": "2026-04-10", "organization_number": "404"}
    )
    page = text_of(response)
    assert "La date de fin doit être égale ou postérieure à la date de début." in page
    assert "Aucune organisation n'a ce numéro de dossier." in page
    assert 'value="2026-04-20"' in page
    assert not Delegation.objects.exists()


def test_staff_end_a_right_from_the_page(staff_client, staff, delegate):
    delegation = grant_delegation(
        delegate, starts_on=datetime.date(2026, 1, 1), ends_on=None, actor=staff
    )
    response = staff_client.post(reverse("dossiers:staff_delegation_end", args=[delegation.pk]))
    assert response["Location"] == PAGE
    delegation.refresh_from_db()
    assert delegation.ends_on == datetime.date(2026, 3, 31)
    assert "maxime@umq.exemple.ca" not in text_of(staff_client.get(PAGE))


def test_an_ended_right_cannot_be_ended_again(staff_client, delegate):
    delegation = Delegation.objects.create(
        account=delegate, starts_on=datetime.date(2025, 1, 1), ends_on=datetime.date(2025, 12, 31)
    )
    response = staff_client.post(reverse("dossiers:staff_delegation_end", args=[delegation.pk]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=Action.DELEGATION_ENDED).exists()


def test_the_page_exists_only_where_the_preset_has_delegates(staff_client, settings, delegate):
    settings.GUICHET_PRESET = "baie-comeau"
    assert staff_client.get(PAGE).status_code == 404
    grant_url = reverse("dossiers:staff_delegation_grant", args=[delegate.pk])
    assert staff_client.post(grant_url, {"starts_on": "2026-04-01"}).status_code == 404
    settings.GUICHET_PRESET = "umq"
    assert staff_client.get(PAGE).status_code == 200

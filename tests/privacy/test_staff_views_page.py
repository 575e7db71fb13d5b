"""The privacy officer's register of staff views (/personnel/vie-privee/consultations/):
who consulted whose file, searched by person, staff member and dates, paginated, exported
as CSV that a spreadsheet never runs as formulas. Anyone else gets a 404."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.urls import reverse

from guichet.accounts.models import StaffRole
from guichet.privacy.services.staff_views import cell
from tests.billing.cast import holder
from tests.factories import AccountFactory
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

PAGE = reverse("privacy:staff_views")
CSV = reverse("privacy:staff_views_csv")


def staff_member(password, role=None, **names):
    account = AccountFactory(password=password, is_staff=True, **names)
    Authenticator.objects.create(user=account, type=Authenticator.Type.TOTP, data={})
    if role:
        StaffRole.objects.create(account=account, role=role)
    return account


@pytest.fixture
def officer(db, password):
    return staff_member(password, "privacy", first_name="Josée", last_name="Bérubé")


@pytest.fixture
def views(client, password):
    """Two files opened in the admin by two staff members on two days."""
    nadia = staff_member(password, first_name="Nadia", last_name="Ouellet", is_superuser=True)
    marc = staff_member(password, first_name="Marc", last_name="Caron", is_superuser=True)
    __, alice = holder(first_name="Alice", last_name="Fortin")
    __, bruno = holder(first_name="=HYPERLINK(1)", last_name="Bruno")
    with time_machine.travel(datetime.datetime(2026, 3, 2, 15, tzinfo=datetime.UTC)):
        client.force_login(nadia)
        assert (
            client.get(reverse("admin:dossiers_dossier_change", args=[alice.pk])).status_code == 200
        )
    with time_machine.travel(datetime.datetime(2026, 3, 9, 15, tzinfo=datetime.UTC)):
        client.force_login(marc)
        client.get(reverse("admin:dossiers_dossier_change", args=[bruno.pk]))
        client.get(reverse("admin:dossiers_dossier_change", args=[alice.pk]))
    client.logout()
    return {"nadia": nadia, "marc": marc, "alice": alice, "bruno": bruno}


def rows(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_anyone_but_the_privacy_officer_gets_a_404(client, password, account):
    for who in (account, staff_member(password, "registrar")):
        client.force_login(who)
        assert client.get(PAGE).status_code == 404
        assert client.get(CSV).status_code == 404
    client.logout()
    assert client.get(PAGE).status_code == 302


def test_the_officer_searches_by_person_staff_member_and_dates(client, officer, views):
    client.force_login(officer)
    page = text_of(client.get(PAGE))
    assert "3 consultations" in page
    assert "Alice Fortin" in page and "Nadia Ouellet" in page and "Dossier dans l'admin" in page

    by_person = text_of(client.get(PAGE, {"person": "fortin"}))
    assert "2 consultations" in by_person and "HYPERLINK" not in by_person
    assert "1 consultation" in text_of(client.get(PAGE, {"person": "bruno"}))
    by_number = text_of(client.get(PAGE, {"person": views["bruno"].number}))
    assert "1 consultation" in by_number
    by_staff = text_of(client.get(PAGE, {"staff": "ouellet"}))
    assert "1 consultation" in by_staff and "Marc Caron" not in by_staff
    by_days = text_of(client.get(PAGE, {"since": "2026-03-05", "until": "2026-03-09"}))
    assert "2 consultations" in by_days and "Nadia Ouellet" not in by_days


def test_a_bad_date_range_is_said_in_french_and_keeps_what_was_typed(client, officer, views):
    client.force_login(officer)
    wrong = {"person": "fortin", "since": "2026-03-09", "until": "2026-03-01"}
    response = client.get(PAGE, wrong)
    assert "La date de fin doit être égale ou postérieure à la date de début." in text_of(response)
    assert 'value="fortin"' in response.content.decode()


def test_the_register_is_paginated_and_keeps_the_search(client, officer, views, monkeypatch):
    monkeypatch.setattr("guichet.privacy.views.staff.STAFF_VIEWS_PAGE_SIZE", 2)
    client.force_login(officer)
    first = client.get(PAGE, {"since": "2026-03-01"})
    assert "Page 1 sur 2" in text_of(first)
    assert "since=2026-03-01&amp;page=2" in first.content.decode()
    second = text_of(client.get(PAGE, {"since": "2026-03-01", "page": "2"}))
    assert "Page 2 sur 2" in second and "Nadia Ouellet" in second


def test_the_csv_follows_the_search_and_never_runs_a_formula(client, officer, views):
    client.force_login(officer)
    every = rows(client.get(CSV))
    assert every[0][:3] == ["Quand", "Numéro de dossier", "Personne consultée"]
    assert len(every) == 4
    bruno = next(row for row in every if row[1] == views["bruno"].number)
    assert bruno[2] == "'=HYPERLINK(1) Bruno"
    assert bruno[3] == "Marc Caron" and bruno[4] == views["marc"].email
    only_nadia = rows(client.get(CSV, {"staff": "nadia"}))
    assert [row[2] for row in only_nadia[1:]] == ["Alice Fortin"]


@pytest.mark.parametrize("value", ["=1+1", "+33", "-2", "@SUM(A1)", "\tx"])
def test_a_cell_that_would_be_a_formula_gets_an_apostrophe(value):
    assert cell(value) == "'" + value
    assert cell("Alice") == "Alice" and cell(None) == ""

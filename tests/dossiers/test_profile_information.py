"""« Mes informations »: addresses, phones and language; names and birth date locked."""

from __future__ import annotations

import pytest
from django.urls import reverse

from guichet.audit.models import Action, AuditEvent, Right
from tests.dossiers.factories import DossierLinkFactory
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

# Session, account and allauth's session record, on every signed-in request.
MIDDLEWARE_QUERIES = 7


@pytest.fixture
def link(client):
    link = DossierLinkFactory(dossier__first_name="Geneviève", dossier__last_name="Lavoie")
    client.force_login(link.account)
    return link


def form_data(dossier, **changes):
    data = {
        "home_street": dossier.home_street,
        "home_city": dossier.home_city,
        "home_province": dossier.home_province,
        "home_postal_code": dossier.home_postal_code,
        "work_employer": "",
        "work_street": "",
        "work_city": "",
        "work_province": "QC",
        "work_postal_code": "",
        "main_address": "home",
        "home_phone": dossier.home_phone,
        "mobile_phone": "",
        "work_phone": "",
        "language": "fr",
    }
    data.update(changes)
    return data


def test_saves_addresses_and_phones_normalized(client, link):
    dossier = link.dossier
    response = client.post(
        reverse("dossiers:information"),
        form_data(
            dossier,
            home_postal_code="g4z2b3",
            mobile_phone="1-418-555-0199",
            work_employer="Ville de Baie-Comeau",
            work_street="19, avenue Marquette",
            work_city="Baie-Comeau",
            work_postal_code="G4z 3k6",
        ),
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.home_postal_code == "G4Z 2B3"
    assert dossier.work_postal_code == "G4Z 3K6"
    assert dossier.mobile_phone == "418 555-0199"
    assert dossier.work_employer == "Ville de Baie-Comeau"
    follow = text_of(client.get(response["Location"]))
    assert "Vos informations ont été enregistrées." in follow


def test_bad_postal_code_and_phone_are_refused_in_french_and_keep_what_was_typed(client, link):
    dossier = link.dossier
    response = client.post(
        reverse("dossiers:information"),
        form_data(
            dossier, home_street="45, rue des Érables", home_postal_code="12345", work_phone="555"
        ),
    )
    assert response.status_code == 200
    html = text_of(response)
    assert "Entrez un code postal canadien, par exemple H2X 1Y4." in html
    assert "Entrez un numéro de téléphone à 10 chiffres" in html
    assert 'value="12345"' in html
    assert 'value="45, rue des Érables"' in html
    assert 'value="555"' in html
    assert 'aria-invalid="true"' in html
    dossier.refresh_from_db()
    assert dossier.home_street == "123, rue Principale"


def test_work_cannot_be_main_address_without_a_work_address(client, link):
    response = client.post(
        reverse("dossiers:information"), form_data(link.dossier, main_address="work")
    )
    assert response.status_code == 200
    assert "Indiquez votre adresse au travail" in text_of(response)


def test_change_is_audited_with_before_and_after_of_changed_fields_only(client, link):
    dossier = link.dossier
    client.post(reverse("dossiers:information"), form_data(dossier, home_city="Chute-aux-Outardes"))
    event = AuditEvent.objects.get(action=Action.PROFILE_CHANGED)
    assert event.dossier == dossier
    assert event.actor == link.account
    assert event.right == Right.SELF
    assert event.data["before"] == {"home_city": "Baie-Comeau"}
    assert event.data["after"] == {"home_city": "Chute-aux-Outardes"}


def test_saving_without_change_writes_no_audit_event(client, link):
    client.post(reverse("dossiers:information"), form_data(link.dossier))
    assert not AuditEvent.objects.filter(action=Action.PROFILE_CHANGED).exists()


def test_names_and_birth_date_are_shown_locked_with_a_change_request_link(client, link):
    html = text_of(client.get(reverse("dossiers:information")))
    assert "Geneviève" in html and "Lavoie" in html and "15 juin 1985" in html
    assert 'name="first_name"' not in html and 'name="birth_date"' not in html
    assert "Demander une modification" in html
    assert reverse("requests:change", args=[link.dossier.pk]) in html
    assert "Changer mon courriel" in html and reverse("account_email") in html
    assert ">Modifier</button>" in html


def test_posted_names_are_ignored(client, link):
    client.post(
        reverse("dossiers:information"),
        form_data(link.dossier, first_name="Pirate", birth_date="2000-01-01"),
    )
    link.dossier.refresh_from_db()
    assert link.dossier.first_name == "Geneviève"


def test_page_query_count(client, link, django_assert_max_num_queries):
    client.get(reverse("dossiers:information"))
    with django_assert_max_num_queries(MIDDLEWARE_QUERIES + 1):
        response = client.get(reverse("dossiers:information"))
    assert response.status_code == 200

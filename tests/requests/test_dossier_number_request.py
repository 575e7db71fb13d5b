"""« Je n'ai pas de numéro de dossier »: the request form (Baie-Comeau)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from guichet.audit.models import Action, AuditEvent
from guichet.requests.models import Request, RequestKind, RequestStatus
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

URL = reverse("requests:dossier_number")


def valid_form(**changes: str) -> dict[str, str]:
    form = {
        "first_name": "Mélanie",
        "last_name": "Tremblay",
        "birth_date": "1984/02/29",
        "street": "45, avenue Cartier",
        "city": "Baie-Comeau",
        "postal_code": "g4z1a1",
        "phone": "(418) 555-0199",
        "email": "melanie@exemple.ca",
        "family_members": "Léo Tremblay 2015/05/04\nZoé Tremblay 2018/09/12",
    }
    form.update(changes)
    return form


def test_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_form_shows_the_guides_fields_and_the_72_hour_delay(person_client):
    page = text_of(person_client.get(URL))
    assert "<h1>Je n'ai pas de numéro de dossier</h1>" in page
    for label in ("Prénom", "Nom", "Date de naissance", "Adresse", "Ville", "Code postal"):
        assert f">{label}</label>" in page
    assert "Téléphone" in page and "Courriel" in page
    assert "Membres de la famille à inscrire" in page
    assert "au minimum 72 heures avant la période des inscriptions" in page


def test_form_starts_with_the_accounts_name_and_email(person_client, account):
    page = text_of(person_client.get(URL))
    assert f'value="{account.email}"' in page
    assert f'value="{account.first_name}"' in page


def test_bad_postal_code_and_phone_are_explained_in_french_and_nothing_typed_is_lost(
    person_client,
):
    response = person_client.post(URL, valid_form(postal_code="12345", phone="555-01"))
    page = text_of(response)
    assert response.status_code == 200
    assert "Entrez un code postal canadien" in page
    assert "Entrez un numéro de téléphone à 10 chiffres" in page
    assert 'value="Mélanie"' in page
    assert 'value="45, avenue Cartier"' in page
    assert 'value="12345"' in page
    assert "Zoé Tremblay 2018/09/12" in page
    assert not Request.objects.exists()


def test_birth_date_is_read_day_first_as_the_caomsc_guide_writes_it(person_client):
    response = person_client.post(URL, valid_form(birth_date="29/02/1984"))
    assert response.status_code == 302
    assert Request.objects.get().data["birth_date"] == "1984-02-29"


def test_a_birth_date_that_does_not_exist_is_explained_and_kept(person_client):
    page = text_of(person_client.post(URL, valid_form(birth_date="29/02/1985")))
    assert "Cette date n'existe pas" in page
    assert 'value="29/02/1985"' in page


def test_a_valid_request_is_stored_pending_and_audited(person_client, account):
    response = person_client.post(URL, valid_form())
    submitted = Request.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("requests:detail", args=[submitted.pk])
    assert submitted.kind == RequestKind.DOSSIER_NUMBER
    assert submitted.status == RequestStatus.PENDING
    assert submitted.submitted_by == account
    assert submitted.data["birth_date"] == "1984-02-29"
    assert submitted.data["postal_code"] == "G4Z 1A1"
    assert submitted.data["phone"] == "418 555-0199"
    assert submitted.data["family_members"].startswith("Léo Tremblay")
    event = AuditEvent.objects.get(action=Action.REQUEST_SUBMITTED)
    assert event.actor == account
    assert event.data == {"request": submitted.pk, "kind": "dossier_number"}


def test_after_sending_the_person_sees_the_status(person_client):
    response = person_client.post(URL, valid_form(), follow=True)
    page = text_of(response)
    assert "Demande de numéro de dossier" in page
    assert "En attente" in page
    assert "Votre demande a été envoyée" in page


def test_sending_again_while_the_first_waits_returns_the_first(person_client):
    first = person_client.post(URL, valid_form())
    again = person_client.post(URL, valid_form(phone="418 555-0100"), follow=True)
    assert Request.objects.count() == 1
    assert again.redirect_chain[-1][0] == first["Location"]
    assert "déjà une demande en attente" in text_of(again)

"""« Modifier les informations d'une organisation » (« Profil » in write changes them, in
read only shows them; 403 on a POST without write) and « Modifier l'adresse d'un individu
autorisé ou d'un contact » (the responsible's)."""

from __future__ import annotations

import datetime
import re

import pytest

from guichet.audit.models import Action, AuditEvent
from guichet.organizations.models import RelationType, Submission, SubmissionStatus
from tests.organizations.cast import act_as, contact_with_account, organization, relate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ccq")]

ORGANIZATION = "/organisation/catalogue/modifier-une-organisation/"
ADDRESS = "/organisation/catalogue/modifier-une-adresse/"
NEW = {
    "street": "100, rue Principale",
    "city": "Laval",
    "province": "QC",
    "postal_code": "h7n1a1",
    "phone_type": "work_phone",
    "phone": "450 555-0123",
    "other_phone_type": "mobile_phone",
    "other_phone": "5145550177",
    "email": "nouveau@local1234.ca",
    "attest_exact": "on",
}


def with_profile(client, local, access: str | None):
    account, person = contact_with_account()
    relate(
        person, local, RelationType.LEADER, {"profil": access} if access else {"paiements": "read"}
    )
    return act_as(client, account, local), account


def test_profile_in_write_changes_the_organizations_information(
    client, local, mailbox, django_capture_on_commit_callbacks
):
    name = local.organization_name
    client, account = with_profile(client, local, "write")
    page = client.get(ORGANIZATION).content.decode()
    for label in (
        "Modifier les informations d&#x27;une organisation",
        "Type du numéro de téléphone principal",
        "Territoire téléphonique",
        "Amérique du Nord",
        "Indicatif",
        "Numéro de téléphone principal",
        "Ajouter un autre numéro de téléphone",
        "Valeur actuelle :",
        "Soumettre",
    ):
        assert label in page, label
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ORGANIZATION, {**NEW, "organization_name": "Autre nom"})
    assert response.status_code == 302
    local.refresh_from_db()
    assert local.organization_name == name  # the name stays the registry's
    assert (local.work_street, local.work_city, local.work_postal_code) == (
        "100, rue Principale",
        "Laval",
        "H7N 1A1",
    )
    assert (local.work_phone, local.mobile_phone) == ("450 555-0123", "514 555-0177")
    assert local.email == "nouveau@local1234.ca"
    event = AuditEvent.objects.get(action=Action.PROFILE_CHANGED, dossier=local)
    assert event.actor == account
    assert event.data["after"]["email"] == "nouveau@local1234.ca"
    assert event.data["attestations"][0].startswith("J'atteste")
    submission = Submission.objects.get(form="change-organization")
    assert submission.status == SubmissionStatus.APPLIED
    # The organization's former and new addresses both hear of it.
    for address in ("local@exemple.ca", "nouveau@local1234.ca"):
        told = mailbox.wait_for(address, "Les informations de Syndicat local 1234 ont changé")
        assert "Laval" in mailbox.body(told)


def test_profile_in_read_shows_but_cannot_change(client, local):
    client, _account = with_profile(client, local, "read")
    page = client.get(ORGANIZATION).content.decode()
    assert "est en lecture seulement" in page
    assert re.search(r'<input[^>]*name="street"[^>]*disabled', page)
    assert "Soumettre" not in page
    before = (local.work_street, local.email)
    assert client.post(ORGANIZATION, NEW).status_code == 403
    local.refresh_from_db()
    assert (local.work_street, local.email) == before
    assert not AuditEvent.objects.filter(action=Action.PROFILE_CHANGED).exists()


def test_without_profile_the_form_is_404_and_its_tile_has_no_button(client, local):
    client, _account = with_profile(client, local, None)
    assert client.get(ORGANIZATION).status_code == 404
    assert client.post(ORGANIZATION, NEW).status_code == 404
    catalog = client.get("/organisation/catalogue/", {"categorie": "dossier-client"})
    assert "Modifier les informations d&#x27;une organisation" in catalog.content.decode()
    assert f'href="{ORGANIZATION}"' not in catalog.content.decode()


def test_an_ended_relation_with_profile_in_write_gives_nothing(client, local):
    account, person = contact_with_account()
    relation = relate(person, local, RelationType.LEADER, {"profil": "write"})
    act_as(client, account, local)
    relation.start_date -= datetime.timedelta(days=30)
    relation.end_date = relation.start_date + datetime.timedelta(days=1)
    relation.save()
    assert client.post(ORGANIZATION, NEW).status_code == 302  # back to choosing a profile
    local.refresh_from_db()
    assert local.email != NEW["email"]


def test_bad_input_comes_back_in_french_with_what_was_typed(client, local):
    client, _account = with_profile(client, local, "write")
    page = client.post(
        ORGANIZATION, {**NEW, "postal_code": "123", "other_phone_type": ""}
    ).content.decode()
    assert "code postal canadien" in page
    assert "Choisissez le type de ce numéro de téléphone." in page
    assert 'value="100, rue Principale"' in page


def test_a_responsible_changes_a_contacts_address(
    responsible_client, local, mailbox, django_capture_on_commit_callbacks
):
    _account, person = contact_with_account()
    relate(person, local, RelationType.STAFF)
    page = responsible_client.get(ADDRESS, {"contact": person.pk}).content.decode()
    assert "Modifier l&#x27;adresse d&#x27;un individu autorisé ou d&#x27;un contact" in page
    assert f"Valeur actuelle : {person.home_city}" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = responsible_client.post(
            ADDRESS,
            {
                "contact": person.pk,
                "street": "12, rue des Érables",
                "city": "Québec",
                "province": "QC",
                "postal_code": "G1R 4P5",
                "attest_exact": "on",
            },
        )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.home_street, person.home_city) == ("12, rue des Érables", "Québec")
    assert AuditEvent.objects.filter(action=Action.CONTACT_CHANGED, dossier=local).exists()
    told = mailbox.wait_for(person.email, "Vos relations avec Syndicat local 1234 ont changé")
    assert "Québec" in mailbox.body(told)


def test_the_address_of_another_organizations_contact_is_404(responsible_client):
    _account, stranger = contact_with_account()
    relate(stranger, organization("Autre syndicat"), RelationType.STAFF)
    response = responsible_client.post(
        ADDRESS,
        {
            "contact": stranger.pk,
            "street": "1, rue X",
            "city": "Québec",
            "province": "QC",
            "postal_code": "G1R 4P5",
            "attest_exact": "on",
        },
    )
    assert response.status_code == 200  # not one of the choices: the form says so
    assert "Sélectionnez un choix valide" in response.content.decode()
    stranger.refresh_from_db()
    assert stranger.home_street != "1, rue X"


def test_the_address_form_needs_the_responsibles_right(client, local):
    client, _account = with_profile(client, local, "write")
    assert client.get(ADDRESS).status_code == 404


def test_the_forms_read_in_english(client, local):
    client, account = with_profile(client, local, "write")
    account.language = "en"
    account.save()
    page = client.get(ORGANIZATION).content.decode()
    assert "Change the information of an organization" in page
    assert "Type of the main phone number" in page and "North America" in page
    catalog = client.get("/organisation/catalogue/", {"catalogue": "profil"}).content.decode()
    assert "Client file" in catalog and "All the catalogs" in catalog

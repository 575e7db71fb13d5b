"""« Mon organisation »: the profile switcher, the lists, a contact, the statement."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guichet.audit.models import Action, AuditEvent, Right
from guichet.organizations.models import RelationType
from tests.dossiers.factories import DossierFactory
from tests.organizations.cast import act_as, contact_with_account, organization, relate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ccq")]

RELATIONS = "/organisation/relations/"


def text(response) -> str:
    return response.content.decode()


def test_a_contact_switches_profile_and_the_header_says_so(client, local):
    account, person = contact_with_account()
    relate(person, local, RelationType.STAFF, {"rapport-mensuel": "read"})
    client.force_login(account)
    page = text(client.get("/organisation/profil/"))
    assert "Sélectionnez un profil" in page and "Syndicat local 1234" in page
    assert "Profil : <strong>Moi-même</strong>" in text(client.get("/mon-dossier/"))
    response = client.post("/organisation/profil/changer/", {"profile": local.pk})
    assert response["Location"] == "/organisation/"
    assert "Profil : <strong>Syndicat local 1234</strong>" in text(client.get("/mon-dossier/"))
    event = AuditEvent.objects.get(action=Action.PROFILE_SWITCHED)
    assert (event.actor, event.dossier, event.right) == (account, local, Right.RELATION)
    client.post("/organisation/profil/changer/", {"profile": ""})
    assert "Profil : <strong>Moi-même</strong>" in text(client.get("/mon-dossier/"))


def test_one_cannot_act_for_an_organization_one_is_not_a_contact_of(client, local):
    account, _person = contact_with_account()
    client.force_login(account)
    assert client.post("/organisation/profil/changer/", {"profile": local.pk}).status_code == 404
    assert not AuditEvent.objects.filter(action=Action.PROFILE_SWITCHED).exists()


def test_an_ended_relation_is_no_profile(client, local):
    account, person = contact_with_account()
    relation = relate(person, local, RelationType.RESPONSIBLE)
    act_as(client, account, local)
    relation.start_date = relation.start_date - datetime.timedelta(days=30)
    relation.end_date = relation.start_date + datetime.timedelta(days=29)
    relation.save()
    assert "Syndicat local 1234" not in text(client.get("/organisation/profil/"))
    assert client.get(RELATIONS)["Location"].startswith("/organisation/profil/")


def test_acting_as_oneself_leads_to_the_profile_choice(client, local):
    account, person = contact_with_account()
    relate(person, local, RelationType.RESPONSIBLE)
    client.force_login(account)
    response = client.get(RELATIONS)
    assert response.status_code == 302
    assert response["Location"] == "/organisation/profil/?next=%2Forganisation%2Frelations%2F"


def test_relations_need_the_responsibles_right(client, local):
    account, person = contact_with_account()
    relate(person, local, RelationType.LEADER, {"profil": "write"})
    act_as(client, account, local)
    assert client.get(RELATIONS).status_code == 404
    assert client.get("/organisation/catalogue/ajouter-une-relation/").status_code == 404
    assert client.get("/organisation/gerer/").status_code == 200
    assert client.get("/organisation/etat-de-compte/").status_code == 404


def test_pages_are_absent_without_organizations(settings, responsible_client):
    settings.GUICHET_PRESET = "comaq"
    assert responsible_client.get(RELATIONS).status_code == 404
    assert responsible_client.get("/organisation/profil/").status_code == 404
    assert "Mon organisation" not in text(responsible_client.get("/mon-dossier/"))


def test_the_contacts_tab_lists_filters_and_sorts(responsible_client, local, responsible):
    _account, person = contact_with_account(first_name="Zoé", last_name="Ouellet")
    ended = relate(person, local, RelationType.STAFF)
    ended.removed_at = ended.created_at
    ended.save()
    page = text(responsible_client.get(RELATIONS))
    for label in (
        "Contacts de l'organisation",
        "Contact",
        "Fonction",
        "Organisation",
        "Actif",
    ):
        assert label in page
    assert "Zoé Ouellet" in page and "Faux" in page and "Personne responsable" in page
    found = text(responsible_client.get(RELATIONS, {"q": "ouell"}))
    assert "Zoé Ouellet" in found and responsible[1].last_name not in found
    by_active = text(responsible_client.get(RELATIONS, {"tri": "actif"}))
    assert by_active.index("Vrai") < by_active.index("Faux")


def test_the_authorizations_tab_puts_the_organizations_own_subjects_first(
    responsible_client, local, responsible
):
    employer = organization("Construction Boréal inc.")
    relate(local, employer, RelationType.REPRESENTATIVE, {"rapport-mensuel": "write"})
    page = text(responsible_client.get(RELATIONS, {"onglet": "autorisations"}))
    for label in ("Sujet autorisé", "Droit", "Contact de l'organisation", "Écriture"):
        assert label in page
    assert page.index("Construction Boréal inc.") < page.index("Accès aux données")
    other, person = contact_with_account(first_name="Zoé", last_name="Ouellet")
    relate(person, local, RelationType.STAFF, {"scrutin": "read"})
    filtered = text(
        responsible_client.get(RELATIONS, {"onglet": "autorisations", "contact": person.pk})
    )
    assert "Scrutin syndical" in filtered and "Lecture" in filtered
    assert "Accès aux données" not in filtered


@pytest.mark.parametrize("tab", ["contacts", "autorisations"])
def test_the_lists_take_a_fixed_number_of_queries(
    responsible_client, local, django_assert_max_num_queries, tab
):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert responsible_client.get(RELATIONS, {"onglet": tab}).status_code == 200
        return len(queries)

    few = count()
    for _ in range(12):
        _account, person = contact_with_account()
        relate(person, local, RelationType.STAFF, {"profil": "read", "scrutin": "write"})
    assert count() == few
    with django_assert_max_num_queries(16):
        responsible_client.get(RELATIONS, {"onglet": tab})


def test_the_lists_are_paged(responsible_client, local):
    for _ in range(55):
        _account, person = contact_with_account()
        relate(person, local, RelationType.STAFF)
    first = text(responsible_client.get(RELATIONS))
    assert "Page 1 sur 2" in first
    assert "Page 2 sur 2" in text(responsible_client.get(RELATIONS, {"page": 2}))


def test_a_contact_opens_and_a_stranger_is_404(responsible_client, local):
    _account, person = contact_with_account(first_name="Zoé", last_name="Ouellet")
    relate(person, local, RelationType.STAFF, {"profil": "read"})
    page = text(responsible_client.get(f"/organisation/contacts/{person.pk}/"))
    assert "Zoé Ouellet" in page and "Profil (Lecture)" in page and "aucune" in page
    _other, stranger = contact_with_account()
    assert responsible_client.get(f"/organisation/contacts/{stranger.pk}/").status_code == 404
    assert responsible_client.get(f"/organisation/contacts/{local.pk}/").status_code == 404


def test_the_statement_needs_payments_and_statements(client, local):
    reader, person = contact_with_account()
    relate(person, local, RelationType.STAFF, {"paiements": "read"})
    act_as(client, reader, local)
    page = text(client.get("/organisation/etat-de-compte/"))
    assert "État de compte" in page and "Aucune facture pour cette organisation." in page


def test_pages_read_in_english(responsible_client, responsible):
    account = responsible[0]
    account.language = "en"
    account.save()
    page = text(responsible_client.get(RELATIONS))
    assert "Contacts of the organization" in page and "Responsible person" in page


def test_the_service_catalog_shows_tiles_and_offers_only_what_one_may_use(
    responsible_client, client, local
):
    page = text(responsible_client.get("/organisation/catalogue/"))
    assert "Ajouter une relation ou des sujets autorisés à un contact" in page
    assert "Afficher les détails" in page and 'href="/organisation/catalogue/ajouter' in page
    profile = text(
        responsible_client.get("/organisation/catalogue/", {"categorie": "dossier-client"})
    )
    assert "Modifier les informations personnelles" in profile
    assert "Ajouter une relation" not in profile
    leader, person = contact_with_account()
    relate(person, local, RelationType.LEADER)
    act_as(client, leader, local)
    assert 'href="/organisation/catalogue/ajouter' not in text(
        client.get("/organisation/catalogue/")
    )


@pytest.mark.parametrize(
    "query",
    [
        {"onglet": "contacts", "q": "a", "tri": "fonction"},
        {"onglet": "contacts", "tri": "actif", "page": 2},
        {"onglet": "autorisations", "tri": "contact"},
        {"onglet": "autorisations", "contact": "me"},
    ],
)
def test_filtered_sorted_and_paged_lists_keep_their_query_count(
    responsible_client, local, responsible, django_assert_max_num_queries, query
):
    for _ in range(55):  # contacts without an account: more than a page
        relate(DossierFactory(first_name="Anne"), local, RelationType.STAFF, {"profil": "read"})
    if query.get("contact") == "me":
        query = {**query, "contact": responsible[1].pk}
    with django_assert_max_num_queries(16):
        assert responsible_client.get(RELATIONS, query).status_code == 200

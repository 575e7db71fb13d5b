"""A new right over an organization's relations (linking its former online access, or a
responsible naming another) is told to those who already hold one, each in their
language, with « Retirer cette relation »: audited, and never the last responsible."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password

from guichet.audit.models import Action, AuditEvent
from guichet.dossiers import permissions
from guichet.dossiers.services import linking
from guichet.dossiers.services.linking import Status
from guichet.organizations.grants import MANAGE_RELATIONS
from guichet.organizations.models import Relation, RelationType
from guichet.organizations.services import relations as relation_services
from tests.dossiers.factories import DossierFactory
from tests.organizations.cast import contact_with_account, relate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ccq")]

PASSWORD = "Ancien-acces-2019"  # noqa: S105
ATTESTED = {"attest_exact": "on"}


@pytest.fixture
def with_legacy_access(local):
    local.legacy_username = "local1234"
    local.legacy_password_hash = make_password(PASSWORD)
    local.save()
    return local


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_linking_the_former_access_tells_each_responsible_in_their_language(
    client, with_legacy_access, responsible, mailbox, django_capture_on_commit_callbacks
):
    local = with_legacy_access
    existing = responsible[0]
    existing.language = "en"
    existing.save()
    # A responsible without an account: told at the file's address, in the file's language.
    offline = DossierFactory(email="sans.compte@exemple.ca", language="fr")
    relate(offline, local, RelationType.RESPONSIBLE)
    newcomer, person = contact_with_account(first_name="Zoé", last_name="Ouellet")
    with django_capture_on_commit_callbacks(execute=True):
        outcome = linking.link_by_legacy_credentials(
            actor=newcomer, username="local1234", password=PASSWORD
        )
    assert outcome.status == Status.LINKED
    english = mailbox.wait_for(existing.email, "A new right over Syndicat local 1234")
    body = mailbox.body(english)
    assert "Zoé Ouellet" in body and "former online access" in body
    assert "Responsible person" in body
    french = mailbox.wait_for(offline.email, "Un nouveau droit sur les relations")
    assert "anciens services en ligne" in mailbox.body(french)
    assert "Personne responsable" in mailbox.body(french)
    assert not mailbox.to(newcomer.email)
    # The link leads the responsible to « Retirer cette relation ».
    relation = Relation.objects.get(contact=person, organization=local)
    [link] = [u for u in mailbox.links(english) if "/retirer/" in u]
    assert path_of(link) == f"/organisation/relations/{relation.pk}/retirer/"
    client.force_login(existing)
    page = client.get(path_of(link)).content.decode()
    assert "Zoé Ouellet" in page and "Remove this relation" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path_of(link), ATTESTED)
    assert response.status_code == 302
    relation.refresh_from_db()
    assert relation.removed_at is not None and relation.removed_by == existing
    assert permissions.right_over(newcomer, local, act=MANAGE_RELATIONS) is None
    event = AuditEvent.objects.get(action=Action.RELATION_ENDED)
    assert event.actor == existing and event.data["relations"] == [relation.pk]
    assert event.data["attestations"]
    mailbox.wait_for(person.email, "Vos relations avec Syndicat local 1234 ont changé")


def test_nobody_else_may_open_the_page(client, local, responsible):
    stranger, person = contact_with_account()
    relate(person, local, RelationType.STAFF, {"profil": "write"})  # no right to manage
    client.force_login(stranger)
    url = f"/organisation/relations/{responsible[2].pk}/retirer/"
    assert client.get(url).status_code == 404
    assert client.post(url, ATTESTED).status_code == 404
    assert client.get("/organisation/relations/999999/retirer/").status_code == 404
    assert responsible[2].is_active


def test_the_last_responsible_is_kept(client, local, responsible):
    account, _person, relation = responsible
    client.force_login(account)
    response = client.post(f"/organisation/relations/{relation.pk}/retirer/", ATTESTED)
    assert response.status_code == 200
    assert "doit garder au moins une personne responsable" in response.content.decode()
    relation.refresh_from_db()
    assert relation.removed_at is None


def test_an_attestation_is_required(client, local, responsible):
    _other, person = contact_with_account()
    relation = relate(person, local, RelationType.RESPONSIBLE)
    client.force_login(responsible[0])
    response = client.post(f"/organisation/relations/{relation.pk}/retirer/", {})
    assert response.status_code == 200
    relation.refresh_from_db()
    assert relation.removed_at is None


def test_a_relation_added_by_the_form_is_told_to_its_contact(
    local, responsible, mailbox, django_capture_on_commit_callbacks
):
    _account, person = contact_with_account()
    with django_capture_on_commit_callbacks(execute=True):
        relation_services.add_relation(
            actor=responsible[0],
            organization_id=local.pk,
            new=relation_services.NewRelation(
                contact=person, kind=RelationType.STAFF, start_date=person.created_at.date()
            ),
            attestations=["J'atteste"],
        )
    message = mailbox.wait_for(person.email, "Vos relations avec Syndicat local 1234 ont changé")
    assert "Membre du personnel" in mailbox.body(message)

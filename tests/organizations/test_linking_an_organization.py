"""Linking an organization's dossier makes the account's person its contact (issue 11,
step 1): never its « titulaire », and an account that holds its own dossier may do it."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password

from guichet.audit.models import Action, AuditEvent, Right
from guichet.dossiers import permissions
from guichet.dossiers.models import DossierKind, DossierLink, LinkRole
from guichet.dossiers.services import linking
from guichet.dossiers.services.linking import Status
from guichet.organizations.grants import MANAGE_RELATIONS
from guichet.organizations.models import Relation, RelationType
from tests.dossiers.factories import DossierFactory
from tests.organizations.cast import contact_with_account, organization
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

PASSWORD = "Ancien-acces-2019"  # noqa: S105


@pytest.fixture
def ccq(settings):
    settings.GUICHET_PRESET = "ccq"


@pytest.fixture
def local():
    return organization(
        "Syndicat local 1234",
        legacy_username="local1234",
        legacy_password_hash=make_password(PASSWORD),
    )


def test_an_account_without_a_dossier_becomes_the_responsible(ccq, account, local):
    outcome = linking.link_by_legacy_credentials(
        actor=account, username="local1234", password=PASSWORD
    )
    assert outcome.status == Status.LINKED
    assert outcome.next_url == "/organisation/profil/liaison-reussie/"
    # Not the organization's holder: its own person's dossier, opened from the account.
    assert not DossierLink.objects.filter(dossier=local).exists()
    person = permissions.held_dossier(account)
    assert person.kind == DossierKind.PERSON
    assert (person.first_name, person.last_name) == (account.first_name, account.last_name)
    relation = Relation.objects.get(organization=local)
    assert (relation.contact, relation.kind, relation.is_active) == (
        person,
        RelationType.RESPONSIBLE,
        True,
    )
    assert permissions.right_over(account, local, act=MANAGE_RELATIONS) == Right.RELATION
    local.refresh_from_db()
    assert (local.legacy_username, local.legacy_password_hash) == ("", "")
    assert AuditEvent.objects.filter(action=Action.RELATION_ADDED, dossier=local).exists()


def test_an_account_holding_its_own_dossier_may_link_an_organization(ccq, local):
    account, person = contact_with_account()
    outcome = linking.link_by_legacy_credentials(
        actor=account, username="local1234", password=PASSWORD
    )
    assert outcome.status == Status.LINKED
    assert permissions.held_dossier(account) == person
    assert Relation.objects.get(organization=local).contact == person


def test_a_wrong_password_links_nothing(ccq, account, local):
    outcome = linking.link_by_legacy_credentials(
        actor=account, username="local1234", password="non"
    )
    assert outcome.status == Status.REFUSED
    assert not Relation.objects.exists()
    assert permissions.held_dossier(account) is None


def test_a_holder_still_cannot_take_a_second_persons_dossier(ccq):
    account, _person = contact_with_account()
    DossierFactory(legacy_username="autre", legacy_password_hash=make_password(PASSWORD))
    outcome = linking.link_by_legacy_credentials(actor=account, username="autre", password=PASSWORD)
    assert outcome.status == Status.ALREADY_HOLDER
    assert DossierLink.objects.filter(account=account, role=LinkRole.HOLDER).count() == 1


def test_without_organizations_an_organizations_dossier_is_refused(settings, account, local):
    settings.GUICHET_PRESET = "comaq"
    outcome = linking.link_by_legacy_credentials(
        actor=account, username="local1234", password=PASSWORD
    )
    assert outcome.status == Status.REFUSED
    assert not DossierLink.objects.filter(dossier=local).exists()
    assert not Relation.objects.exists()


def test_the_linking_page_leads_to_the_profile_choice(ccq, client, account, local):
    client.force_login(account)
    response = client.post(
        "/mon-dossier/activer/anciens-acces/",
        {"username": "local1234", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/organisation/profil/liaison-reussie/"
    success = text_of(client.get(response["Location"]))
    assert "Liaison réussie" in success
    assert 'href="/organisation/profil/">Sélectionnez un profil' in success
    page = client.get("/organisation/profil/")
    assert "Syndicat local 1234" in page.content.decode()

"""The header's « Mon organisation », « Catalogue de services » and « Profil : … »: only
for an account with something to act on for an organization, kept in the session."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from guichet.dossiers.models import DossierLink, LinkMethod, LinkRole
from guichet.organizations import context_processors
from guichet.organizations.models import RelationType
from guichet.organizations.services import relations as relation_services
from tests.dossiers.factories import DossierFactory
from tests.factories import AccountFactory
from tests.organizations.cast import (
    act_as,
    contact_with_account,
    organization,
    relate,
    subject,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ccq")]

HOME = "/mon-dossier/"
ENTRIES = ("Mon organisation", "Catalogue de services", "Profil :")


def header(client) -> str:
    page = client.get(HOME, follow=True).content.decode()
    return page[page.index("<header") : page.index("</header>")]


def shows(client) -> bool:
    found = [label in header(client) for label in ENTRIES]
    assert len(set(found)) == 1, found  # all three, or none
    return found[0]


@pytest.mark.parametrize("preset", ["ccq", "demo"])
def test_an_account_without_organization_sees_none_of_them(client, settings, preset):
    settings.GUICHET_PRESET = preset
    account, _person = contact_with_account()
    client.force_login(account)
    assert not shows(client)


def test_a_relation_that_gives_nothing_to_act_on_shows_nothing(client, local):
    account, person = contact_with_account()
    relate(person, local, RelationType.STAFF)  # no subject, not responsible
    client.force_login(account)
    assert not shows(client)


@pytest.mark.parametrize(
    ("kind", "grants"),
    [(RelationType.STAFF, {"profil": "read"}), (RelationType.RESPONSIBLE, None)],
)
def test_a_subject_or_the_responsibles_right_shows_them(client, local, kind, grants):
    account, person = contact_with_account()
    relate(person, local, kind, grants)
    client.force_login(account)
    assert shows(client)


def test_an_ended_relation_shows_nothing(client, local):
    account, person = contact_with_account()
    relation = relate(person, local, RelationType.STAFF, {"profil": "write"})
    relation.removed_at = relation.created_at
    relation.save()
    client.force_login(account)
    assert not shows(client)


def test_the_header_costs_no_query_once_in_the_session(client, local):
    account, person = contact_with_account()
    relate(person, local, RelationType.RESPONSIBLE)
    client.force_login(account)  # computed at sign-in: even the first page pays nothing
    with CaptureQueriesContext(connection) as queries:
        assert shows(client)
    assert not [q for q in queries if "organizations_relation" in q["sql"]]
    request = RequestFactory().get(HOME)
    request.user = account
    request.session = client.session
    assert request.session.keys()  # the session is read by the middleware, before
    with CaptureQueriesContext(connection) as queries:
        assert context_processors.acting_profile(request)["acting_name"] == ""
    assert len(queries) == 0


def test_a_relation_added_or_ended_by_a_responsible_refreshes_the_header(
    client, local, responsible, django_capture_on_commit_callbacks
):
    account, person = contact_with_account()
    client.force_login(account)
    assert not shows(client)
    with django_capture_on_commit_callbacks(execute=True):
        submission = relation_services.add_relation(
            actor=responsible[0],
            organization_id=local.pk,
            new=relation_services.NewRelation(
                contact=person,
                kind=RelationType.STAFF,
                start_date=person.created_at.date(),
                read=[subject("profil")],
            ),
            attestations=["J'atteste"],
        )
    assert shows(client)
    with django_capture_on_commit_callbacks(execute=True):
        relation_services.end_relations(
            actor=responsible[0],
            organization_id=local.pk,
            contact_id=person.pk,
            relation_ids=None,
            attestations=["J'atteste"],
        )
    assert submission.pk and not shows(client)


def test_acting_for_an_organization_shows_them(client, local):
    account, person = contact_with_account()
    relate(person, local, RelationType.STAFF, {"rapport-mensuel": "read"})
    act_as(client, account, local)
    assert "Profil : <strong>Syndicat local 1234</strong>" in header(client)


def test_a_signed_in_account_linking_its_dossier_gets_them(
    client, django_capture_on_commit_callbacks
):
    """A contact opened by a responsible links their account (a linking code): the
    account's new holder link refreshes the header."""
    employer = organization("Construction Boréal inc.")
    person = DossierFactory()
    relate(person, employer, RelationType.AUTHORIZED, {"paiements": "read"})
    account = AccountFactory()
    client.force_login(account)
    assert not shows(client)
    with django_capture_on_commit_callbacks(execute=True):
        DossierLink.objects.create(
            account=account, dossier=person, role=LinkRole.HOLDER, method=LinkMethod.LINKING_CODE
        )
    assert shows(client)


def test_the_header_of_an_account_without_relations_costs_no_query(client):
    account, _person = contact_with_account()
    client.force_login(account)  # computed at sign-in
    assert not shows(client)
    request = RequestFactory().get(HOME)
    request.user = account
    request.session = client.session
    assert request.session.keys()
    with CaptureQueriesContext(connection) as queries:
        assert context_processors.acting_profile(request) == {}
    assert len(queries) == 0

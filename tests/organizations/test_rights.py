"""The rights matrix: what a relation's subjects give through the one permissions API."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guichet.audit.models import Right
from guichet.billing.models import Invoice
from guichet.dossiers import grants, permissions
from guichet.dossiers.grants import Access, Act
from guichet.organizations import subjects
from guichet.organizations.grants import (
    MANAGE_RELATIONS,
    READ_RELATIONS,
    relations_managed,
    subjects_held,
)
from guichet.organizations.models import RelationSubject, RelationType
from guichet.organizations.services import relations as relation_services
from tests.organizations.cast import contact_with_account, organization, relate

pytestmark = pytest.mark.django_db

CODES = [code for code, *_rest in subjects.DEFAULT_SUBJECTS]
OPENS = {code: str(opens) for code, _fr, _en, opens in subjects.DEFAULT_SUBJECTS}


@pytest.fixture
def local():
    return organization("Syndicat local 1234")


@pytest.mark.parametrize("code", CODES)
def test_read_reads_and_cannot_write(local, code):
    account, person = contact_with_account()
    relate(person, local, grants={code: "read"})
    read, write = Act(OPENS[code], Access.READ), Act(OPENS[code], Access.WRITE)
    assert permissions.right_over(account, local, act=read) == Right.RELATION
    assert permissions.right_over(account, local, act=write) is None
    with pytest.raises(Http404):
        permissions.dossier_for(account, local.pk, act=write)


@pytest.mark.parametrize("code", CODES)
def test_write_reads_and_writes(local, code):
    account, person = contact_with_account()
    relate(person, local, grants={code: "write"})
    for access in (Access.READ, Access.WRITE):
        assert (
            permissions.right_over(account, local, act=Act(OPENS[code], access)) == Right.RELATION
        )


@pytest.mark.parametrize("code", CODES)
def test_without_the_subject_gets_404(local, code):
    account, person = contact_with_account()
    others = [c for c in CODES if c != code]
    relate(person, local, grants=dict.fromkeys(others, "write"))
    with pytest.raises(Http404):
        permissions.dossier_for(account, local.pk, act=Act(OPENS[code], Access.READ))


def test_an_ended_relation_gives_nothing(local):
    account, person = contact_with_account()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    relate(
        person,
        local,
        RelationType.RESPONSIBLE,
        dict.fromkeys(CODES, "write"),
        start=yesterday - datetime.timedelta(days=30),
        end=yesterday,
    )
    for code in CODES:
        assert permissions.right_over(account, local, act=Act(OPENS[code], Access.READ)) is None
    assert permissions.right_over(account, local, act=MANAGE_RELATIONS) is None


def test_a_relation_not_yet_started_gives_nothing(local):
    account, person = contact_with_account()
    relate(
        person,
        local,
        grants={"profil": "write"},
        start=timezone.localdate() + datetime.timedelta(days=1),
    )
    assert permissions.right_over(account, local, act=grants.READ) is None


def test_a_removed_subject_gives_nothing_and_stays_in_history(local):
    account, person = contact_with_account()
    relation = relate(person, local, grants={"paiements": "write", "profil": "read"})
    RelationSubject.objects.filter(relation=relation, authorized_subject__code="paiements").update(
        removed_at=timezone.now()
    )
    assert permissions.right_over(account, local, act=grants.READ_BILLING) is None
    assert permissions.right_over(account, local, act=grants.READ) == Right.RELATION
    assert RelationSubject.objects.filter(relation=relation).count() == 2


def test_only_a_responsible_manages_relations(local):
    responsible, boss = contact_with_account()
    leader, chief = contact_with_account()
    relate(boss, local, RelationType.RESPONSIBLE)
    relate(chief, local, RelationType.LEADER, dict.fromkeys(CODES, "write"))
    assert permissions.right_over(responsible, local, act=MANAGE_RELATIONS) == Right.RELATION
    assert permissions.right_over(responsible, local, act=READ_RELATIONS) == Right.RELATION
    assert permissions.right_over(leader, local, act=READ_RELATIONS) is None


def test_an_account_without_its_dossier_linked_gets_nothing(local, outsider):
    _account, person = contact_with_account()
    relate(person, local, RelationType.RESPONSIBLE, dict.fromkeys(CODES, "write"))
    assert permissions.right_over(outsider, local, act=grants.READ) is None
    assert permissions.right_over(outsider, local, act=MANAGE_RELATIONS) is None


@pytest.fixture
def delegation(local):
    """An employer delegated « Paiements et relevés » (write) and « Rapport mensuel »
    (read) to the local; the local's responsible assigned them to a staff member."""
    employer = organization("Construction Boréal inc.")
    given = relate(
        local,
        employer,
        RelationType.REPRESENTATIVE,
        {"paiements": "write", "rapport-mensuel": "read"},
    )
    account, person = contact_with_account()
    own = relate(person, local, RelationType.STAFF)
    assigned = relate(
        person,
        employer,
        RelationType.STAFF,
        {"paiements": "read", "rapport-mensuel": "read"},
        through=local,
    )
    return employer, given, account, person, own, assigned


def test_a_delegated_subject_reaches_the_staff_member(delegation):
    employer, _given, account, *_rest = delegation
    assert permissions.right_over(account, employer, act=grants.READ_BILLING) == Right.RELATION
    assert (
        permissions.right_over(account, employer, act=Act("monthly_report", Access.READ))
        == Right.RELATION
    )
    assert permissions.right_over(account, employer, act=grants.WRITE_BILLING) is None


def test_a_delegated_subject_ends_with_the_employers_relation(delegation):
    employer, given, account, *_rest = delegation
    given.end_date = timezone.localdate() - datetime.timedelta(days=1)
    given.start_date = given.end_date
    given.save()
    assert permissions.right_over(account, employer, act=grants.READ_BILLING) is None


def test_a_delegated_subject_ends_when_the_employer_withdraws_it(delegation):
    employer, given, account, *_rest = delegation
    given.subjects.filter(authorized_subject__code="paiements").update(removed_at=timezone.now())
    assert permissions.right_over(account, employer, act=grants.READ_BILLING) is None
    assert (
        permissions.right_over(account, employer, act=Act("monthly_report", Access.READ))
        == Right.RELATION
    )


def test_a_delegated_subject_is_never_more_than_the_employer_gave(local):
    employer = organization("Béton Nord")
    relate(local, employer, RelationType.REPRESENTATIVE, {"paiements": "read"})
    account, person = contact_with_account()
    relate(person, employer, RelationType.STAFF, {"paiements": "write"}, through=local)
    assert permissions.right_over(account, employer, act=grants.READ_BILLING) == Right.RELATION
    assert permissions.right_over(account, employer, act=grants.WRITE_BILLING) is None


def test_a_delegated_subject_ends_with_the_staff_members_relation(delegation):
    employer, _given, account, _person, _own, assigned = delegation
    assigned.removed_at = timezone.now()
    assigned.save()
    assert permissions.right_over(account, employer, act=grants.READ_BILLING) is None


def test_removing_all_relations_ends_every_derived_right_at_once(local, delegation):
    employer, _given, account, person, _own, _assigned = delegation
    boss_account, boss = contact_with_account()
    relate(boss, local, RelationType.RESPONSIBLE)
    relate(person, local, RelationType.LEADER, {"profil": "write"})
    assert permissions.right_over(account, local, act=grants.WRITE) == Right.RELATION
    relation_services.end_relations(
        actor=boss_account,
        organization_id=local.pk,
        contact_id=person.pk,
        relation_ids=None,
        attestations=["J'atteste"],
    )
    assert permissions.right_over(account, local, act=grants.READ) is None
    assert permissions.right_over(account, employer, act=grants.READ_BILLING) is None
    assert permissions.right_over(account, employer, act=Act("monthly_report", Access.READ)) is None
    assert set(permissions.acting_for(account).values_list("dossier", flat=True)) == {person.pk}


def test_each_source_is_one_query(delegation):
    employer, _given, account, *_rest = delegation
    day = timezone.localdate()
    for source in (subjects_held, relations_managed):
        with CaptureQueriesContext(connection) as queries:
            list(source(account, day).filter(dossier=employer.pk).values("right"))
        assert len(queries) == 1


def test_the_organizations_invoices_follow_the_subject(local):
    account, person = contact_with_account()
    relate(person, local, grants={"paiements": "read"})
    assert local.pk in set(
        grants.acting_for(account, grants.READ_BILLING, others=True).values_list(
            "dossier", flat=True
        )
    )
    assert Invoice.objects.visible_to(account).count() == 0  # none issued; the query runs

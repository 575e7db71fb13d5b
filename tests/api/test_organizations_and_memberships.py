"""Organizations, relations and memberships through the API, scoped as their pages are:
an organization's responsible reads its relations and never another organization's; a
contact without « Personne responsable » gets 404 for them, as on the page; a person's
key reads the memberships of the dossier it holds; a key without the scope gets 403."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guichet.api.models import SCOPES
from guichet.memberships.models import Application, Membership, MembershipStatus
from guichet.memberships.services.lifecycle import lapse
from guichet.organizations.models import RelationType
from guichet.organizations.services.relations import end_relations
from tests.api.documented import assert_documented
from tests.api.support import ApiClient, make_key
from tests.billing.cast import holder
from tests.memberships.cast import member_types
from tests.organizations.cast import contact_with_account, organization, relate

pytestmark = pytest.mark.django_db
ORGANIZATIONS = "/api/v1/organizations/"


def get(client, path, **params):
    response = client.get(path, params)
    return assert_documented("GET", path, response), response


@pytest.fixture
def two_organizations():
    """Two locals, each with its responsible and a staff member holding one subject."""
    cast = {}
    for name in ("Syndicat local 1234", "Syndicat local 5678"):
        local = organization(name)
        boss, boss_file = contact_with_account()
        relate(boss_file, local, RelationType.RESPONSIBLE, {"paiements": "write"})
        clerk, clerk_file = contact_with_account()
        relate(clerk_file, local, RelationType.STAFF, {"profil": "read"})
        cast[name] = {"local": local, "boss": boss, "clerk": clerk, "clerk_file": clerk_file}
    return cast["Syndicat local 1234"], cast["Syndicat local 5678"]


def test_an_organizations_key_never_sees_anothers(two_organizations):
    mine, theirs = two_organizations
    api = ApiClient(make_key(mine["boss"], ["organizations:read"]))
    body, _ = get(api, ORGANIZATIONS)
    assert [row["name"] for row in body["results"]] == ["Syndicat local 1234"]
    path = f"{ORGANIZATIONS}{mine['local'].pk}/relations/"
    body, response = get(api, path)
    assert response["ETag"]
    rows = {row["contact_number"]: row for row in body["results"]}
    assert len(rows) == 2
    clerk = rows[mine["clerk_file"].number]
    assert clerk["kind"] == "staff" and clerk["active"] is True
    assert [(s["code"], s["level"], s["grants"]) for s in clerk["subjects"]] == [
        ("profil", "read", "profile")
    ]
    # The other local, its relations, one of its relations: not found, as on the pages.
    other = theirs["local"].pk
    for path in (
        f"{ORGANIZATIONS}{other}/",
        f"{ORGANIZATIONS}{other}/relations/",
        f"{ORGANIZATIONS}{mine['local'].pk}/relations/{theirs['local'].relations_given.first().pk}/",
    ):
        response = api.get(path)
        assert response.status_code == 404, path
        assert_documented("GET", path, response)


def test_a_contact_who_does_not_manage_the_relations_gets_404(two_organizations):
    mine, _ = two_organizations
    api = ApiClient(make_key(mine["clerk"], ["organizations:read"]))
    body, _ = get(api, ORGANIZATIONS)  # one of its profiles…
    assert [row["id"] for row in body["results"]] == [mine["local"].pk]
    # …whose « Relations et autorisations » needs « Personne responsable ».
    assert api.get(f"{ORGANIZATIONS}{mine['local'].pk}/relations/").status_code == 404


def test_staff_see_every_organization_and_a_key_without_the_scope_403(two_organizations, staff):
    body, _ = get(ApiClient(make_key(staff, ["organizations:read"])), ORGANIZATIONS)
    assert len(body["results"]) == 2
    for token in (make_key(staff, ["dossiers:read"]), make_key(staff, ["memberships:read"])):
        response = ApiClient(token).get(ORGANIZATIONS)
        assert response.status_code == 403
        assert "organizations:read" in response.json()["detail"]


def test_a_removed_relation_moves_into_updated_since(two_organizations):
    mine, _ = two_organizations
    api = ApiClient(make_key(mine["boss"], ["organizations:read"]))
    path = f"{ORGANIZATIONS}{mine['local'].pk}/relations/"
    later = timezone.now() + datetime.timedelta(hours=1)
    body, _ = get(api, path, updated_since=later.isoformat())
    assert body["results"] == []
    with time_machine.travel(later + datetime.timedelta(minutes=1)):
        end_relations(
            actor=mine["boss"],
            organization_id=mine["local"].pk,
            contact_id=mine["clerk_file"].pk,
            relation_ids=None,
            attestations=["J'atteste"],
        )
    body, _ = get(api, path, updated_since=later.isoformat())
    assert [row["contact_number"] for row in body["results"]] == [mine["clerk_file"].number]
    assert body["results"][0]["active"] is False


def test_organizations_answer_404_where_the_preset_has_none(two_organizations, settings):
    settings.GUICHET_PRESET = "comaq"
    mine, _ = two_organizations
    api = ApiClient(make_key(mine["boss"], ["organizations:read"]))
    assert api.get(ORGANIZATIONS).status_code == 404


@pytest.fixture
def members():
    regular = member_types()["membre-regulier"]
    today = timezone.localdate()
    cast = []
    for _ in range(2):
        account, dossier = holder()
        membership = Membership.objects.create(
            dossier=dossier,
            member_type=regular,
            status=MembershipStatus.ACTIVE,
            starts_on=today - datetime.timedelta(days=30),
            ends_on=today + datetime.timedelta(days=300),
            grace_ends_on=today + datetime.timedelta(days=330),
            fee=Decimal("395.00"),
            started_at=timezone.now(),
        )
        application = Application.objects.create(
            dossier=dossier, applicant=account, member_type=regular, membership=membership
        )
        cast.append((account, dossier, membership, application))
    return cast


def test_a_persons_key_reads_its_own_membership_only(members):
    (anne, anne_file, anne_membership, anne_application), (_, _, ben_membership, _) = members
    api = ApiClient(make_key(anne, ["memberships:read"]))
    body, _ = get(api, "/api/v1/memberships/")
    assert [(r["id"], r["status"], r["ends_on"]) for r in body["results"]] == [
        (anne_membership.pk, "active", anne_membership.ends_on.isoformat())
    ]
    assert api.get(f"/api/v1/memberships/{ben_membership.pk}/").status_code == 404
    body, _ = get(api, "/api/v1/membership-applications/")
    assert [r["id"] for r in body["results"]] == [anne_application.pk]
    body, _ = get(api, "/api/v1/member-types/")
    assert {r["slug"] for r in body["results"]} >= {"membre-regulier"}
    unscoped = ApiClient(make_key(anne, ["billing:read"]))
    assert unscoped.get("/api/v1/memberships/").status_code == 403


def test_staff_keys_read_every_membership_and_application(members, staff):
    api = ApiClient(make_key(staff, ["memberships:read"]))
    body, _ = get(api, "/api/v1/memberships/", status="active")
    assert len(body["results"]) == 2
    body, _ = get(api, "/api/v1/membership-applications/", status="submitted")
    assert len(body["results"]) == 2
    body, _ = get(api, "/api/v1/memberships/", status="lapsed")
    assert body["results"] == []


def test_a_lapsed_membership_moves_into_updated_since(members, staff):
    _, _, membership, _ = members[0]
    api = ApiClient(make_key(staff, ["memberships:read"]))
    later = timezone.now() + datetime.timedelta(hours=1)
    body, _ = get(api, "/api/v1/memberships/", updated_since=later.isoformat())
    assert body["results"] == []
    past_grace = timezone.now() + datetime.timedelta(days=400)
    assert lapse(membership, now=past_grace)
    body, _ = get(api, "/api/v1/memberships/", updated_since=later.isoformat())
    assert [(r["id"], r["status"]) for r in body["results"]] == [(membership.pk, "lapsed")]


def test_scopes_offered_are_read_only_for_these_resources():
    assert "organizations:read" in SCOPES and "organizations:write" not in SCOPES
    assert "memberships:read" in SCOPES and "memberships:write" not in SCOPES


def test_the_relations_list_costs_the_same_queries_with_more_rows(two_organizations):
    mine, _ = two_organizations
    api = ApiClient(make_key(mine["boss"], ["organizations:read"]))
    path = f"{ORGANIZATIONS}{mine['local'].pk}/relations/"
    api.get(path)  # the key's ``last_used_at`` is written at most once a minute
    with CaptureQueriesContext(connection) as few:
        assert api.get(path).status_code == 200
    for _ in range(4):
        _, person = contact_with_account()
        relate(person, mine["local"], RelationType.STAFF, {"profil": "read", "paiements": "read"})
    with CaptureQueriesContext(connection) as more:
        assert len(api.get(path).json()["results"]) == 6
    assert len(more.captured_queries) == len(few.captured_queries)

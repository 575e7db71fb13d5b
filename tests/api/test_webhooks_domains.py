"""Organizations' and memberships' events reach the webhooks after their commit, signed:
relation.added / relation.removed from the catalog's forms' services, membership.approved
from staff's approval, membership.lapsed from the sweep's lapse; none for a rollback."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from guichet.api.models import WebhookEndpoint
from guichet.api.webhooks import delivery as delivering
from guichet.memberships.models import Membership, MembershipStatus
from guichet.memberships.services import applications
from guichet.memberships.services.lifecycle import lapse
from guichet.organizations.models import RelationType
from guichet.organizations.services.relations import NewRelation, add_relation, end_relations
from tests.api.receiver import Receiver
from tests.billing.cast import holder
from tests.dossiers.factories import DossierFactory
from tests.factories import AccountFactory
from tests.memberships.cast import applied, member_types
from tests.organizations.cast import contact_with_account, organization, relate, subject

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def receiver():
    started = Receiver(secret=delivering.new_secret()).start()
    yield started
    started.stop()


def listen(receiver: Receiver, *event_types: str) -> None:
    WebhookEndpoint.objects.create(
        url=receiver.url, secret=receiver.secret, events=list(event_types)
    )


def test_relations_added_and_removed_are_announced(receiver):
    listen(receiver, "relation.added", "relation.removed")
    local = organization("Syndicat local 1234")
    boss, boss_file = contact_with_account()
    relate(boss_file, local, RelationType.RESPONSIBLE, {"paiements": "write"})
    newcomer = DossierFactory()
    new = NewRelation(
        contact=newcomer,
        kind=RelationType.STAFF,
        start_date=timezone.localdate(),
        read=[subject("profil")],
    )
    with pytest.raises(RuntimeError), transaction.atomic():
        add_relation(actor=boss, organization_id=local.pk, new=new, attestations=["J'atteste"])
        raise RuntimeError("rolled back")
    assert receiver.received == []
    add_relation(actor=boss, organization_id=local.pk, new=new, attestations=["J'atteste"])
    end_relations(
        actor=boss,
        organization_id=local.pk,
        contact_id=newcomer.pk,
        relation_ids=None,
        attestations=["J'atteste"],
    )
    assert [r.payload["type"] for r in receiver.received] == ["relation.added", "relation.removed"]
    assert all(r.payload is not None for r in receiver.received)  # signatures verified
    added, removed = (r.payload["data"]["relation"] for r in receiver.received)
    assert added["contact_number"] == newcomer.number and added["organization"] == local.pk
    assert [(s["code"], s["level"]) for s in added["subjects"]] == [("profil", "read")]
    assert added["active"] is True
    assert removed["id"] == added["id"] and removed["removed_at"] and removed["active"] is False


def test_memberships_approved_and_lapsed_are_announced(receiver, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    listen(receiver, "membership.approved", "membership.lapsed")
    types = member_types()
    account, dossier = holder()
    application = applied(account, dossier, types["membre-regulier"])
    applications.approve(application, actor=AccountFactory(is_staff=True))
    today = timezone.localdate()
    _, other = holder()
    ended = Membership.objects.create(
        dossier=other,
        member_type=types["membre-retraite"],
        status=MembershipStatus.ACTIVE,
        starts_on=today - datetime.timedelta(days=400),
        ends_on=today - datetime.timedelta(days=40),
        grace_ends_on=today - datetime.timedelta(days=10),
        fee=Decimal("95.00"),
    )
    assert lapse(ended, now=timezone.now())
    assert [r.payload["type"] for r in receiver.received] == [
        "membership.approved",
        "membership.lapsed",
    ]
    assert all(r.payload is not None for r in receiver.received)
    approved, lapsed = (r.payload["data"] for r in receiver.received)
    assert approved["application"]["status"] == "approved"
    assert approved["membership"]["dossier_number"] == dossier.number
    assert approved["membership"]["status"] == "pending_payment"
    assert lapsed["membership"]["id"] == ended.pk and lapsed["membership"]["status"] == "lapsed"

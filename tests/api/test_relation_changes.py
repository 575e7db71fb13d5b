"""relation.added and relation.removed are each announced once per relation: when someone
adds or removes it, and when it ends by itself as its end date passes (the hourly sweep,
here crossing the night the clocks go back); a second sweep, a second signal or a later
removal announce nothing more; relations there before the feature count as announced."""

from __future__ import annotations

import datetime
import importlib
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from guichet.api.models import RelationChange, RelationChangeSent, WebhookEndpoint
from guichet.api.tasks import sweep_relation_changes
from guichet.api.webhooks import delivery as delivering
from guichet.organizations import signals
from guichet.organizations.models import Relation, RelationType
from guichet.organizations.services.relations import NewRelation, add_relation, end_relations
from tests.api.receiver import Receiver
from tests.dossiers.factories import DossierFactory
from tests.organizations.cast import contact_with_account, organization, relate, subject

pytestmark = pytest.mark.django_db(transaction=True)
MONTREAL = ZoneInfo("America/Montreal")


def at(*moment: int) -> time_machine.travel:
    return time_machine.travel(datetime.datetime(*moment, tzinfo=MONTREAL), tick=True)


@pytest.fixture
def receiver():
    started = Receiver(secret=delivering.new_secret()).start()
    WebhookEndpoint.objects.create(
        url=started.url, secret=started.secret, events=["relation.added", "relation.removed"]
    )
    yield started
    started.stop()


@pytest.fixture
def local():
    """An organization and its responsible (an account): (organization, account)."""
    place = organization("Syndicat local 1234")
    boss, boss_file = contact_with_account()
    relate(
        boss_file,
        place,
        RelationType.RESPONSIBLE,
        {"paiements": "write"},
        start=datetime.date(2026, 1, 1),
    )
    return place, boss


def add(local, newcomer, **dates) -> Relation:
    place, boss = local
    new = NewRelation(contact=newcomer, kind=RelationType.STAFF, read=[subject("profil")], **dates)
    add_relation(actor=boss, organization_id=place.pk, new=new, attestations=["J'atteste"])
    return Relation.objects.get(contact=newcomer)


def sent(receiver):
    assert all(r.payload is not None for r in receiver.received)  # signatures verified
    return [r.payload for r in receiver.received]


def test_a_relation_that_ends_by_its_date_is_announced_removed_once(receiver, local):
    newcomer = DossierFactory()
    with at(2026, 10, 20, 12):
        relation = add(
            local,
            newcomer,
            start_date=datetime.date(2026, 10, 20),
            end_date=datetime.date(2026, 10, 31),
        )
    assert [p["type"] for p in sent(receiver)] == ["relation.added"]
    with at(2026, 10, 31, 23, 30):  # its last evening in force
        assert sweep_relation_changes() == 0
    with at(2026, 11, 1, 0, 30):  # the next night, before the clocks go back at 2:00
        assert sweep_relation_changes() == 1
        assert sweep_relation_changes() == 0
    with at(2026, 11, 1, 3, 30):  # after they went back; the embedded mode's command
        call_command("sweep_relation_changes", stdout=open("/dev/null", "w"))  # noqa: SIM115
    # Someone removing it afterwards (or a signal sent twice) tells nothing new.
    signals.relation_removed.send(Relation, relation=relation)
    payloads = sent(receiver)
    assert [p["type"] for p in payloads] == ["relation.added", "relation.removed"]
    removed = payloads[1]["data"]
    assert removed["reason"] == "ended"
    assert removed["relation"]["id"] == relation.pk and removed["relation"]["active"] is False
    assert removed["relation"]["end_date"] == "2026-10-31"
    assert removed["relation"]["removed_at"] is None
    assert [s["code"] for s in removed["relation"]["subjects"]] == ["profil"]
    assert set(
        RelationChangeSent.objects.filter(relation=relation).values_list("change", flat=True)
    ) == {RelationChange.ADDED, RelationChange.REMOVED}


def test_a_relation_removed_by_someone_is_not_announced_again_when_its_date_passes(receiver, local):
    place, boss = local
    newcomer = DossierFactory()
    with at(2026, 3, 2, 10):
        relation = add(local, newcomer, start_date=datetime.date(2026, 3, 2))
        signals.relation_added.send(Relation, relation=relation)  # a second signal: nothing
        end_relations(
            actor=boss,
            organization_id=place.pk,
            contact_id=newcomer.pk,
            relation_ids=None,
            attestations=["J'atteste"],
        )
    Relation.objects.filter(pk=relation.pk).update(end_date=datetime.date(2026, 3, 5))
    with at(2026, 4, 1, 10):
        assert sweep_relation_changes() == 0
    payloads = sent(receiver)
    assert [p["type"] for p in payloads] == ["relation.added", "relation.removed"]
    assert payloads[1]["data"]["reason"] == "removed"
    assert payloads[1]["data"]["relation"]["removed_at"]


def test_the_sweep_runs_every_hour():
    beat = settings.CELERY_BEAT_SCHEDULE["sweep-relation-changes"]
    assert beat == {"task": "guichet.api.tasks.sweep_relation_changes", "schedule": 3600.0}


def test_relations_there_before_count_as_announced(receiver, local):
    place, _boss = local
    with at(2026, 6, 1, 10):
        ended = relate(
            DossierFactory(),
            place,
            start=datetime.date(2025, 1, 1),
            end=datetime.date(2025, 12, 31),
        )
        current = relate(DossierFactory(), place, start=datetime.date(2026, 5, 1))
        migration = importlib.import_module("guichet.api.migrations.0004_relation_changes_sent")
        migration.mark_existing_as_announced(apps, None)
        assert sweep_relation_changes() == 0
    assert receiver.received == []
    rows = set(RelationChangeSent.objects.values_list("relation", "change"))
    assert (ended.pk, RelationChange.REMOVED) in rows and (current.pk, RelationChange.ADDED) in rows
    assert (current.pk, RelationChange.REMOVED) not in rows

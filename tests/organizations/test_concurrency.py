"""Two responsibles remove each other at the same moment: one of them stays.

Runs on PostgreSQL: two threads, two real transactions, each locking the organization's
row before reading who is responsible."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from guichet.organizations import queries
from guichet.organizations.models import RelationType
from guichet.organizations.services import common, relations
from guichet.organizations.services.common import Refused
from tests.organizations.cast import contact_with_account, organization, relate

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_responsibles_removing_each_other_leave_one(monkeypatch, settings):
    settings.GUICHET_PRESET = "ccq"
    local = organization("Syndicat local 1234")
    first, first_person = contact_with_account()
    second, second_person = contact_with_account()
    relate(first_person, local, RelationType.RESPONSIBLE)
    relate(second_person, local, RelationType.RESPONSIBLE)
    # Both threads reach the lock together: the race is certain.
    barrier = threading.Barrier(2, timeout=20)
    original = common.locked_organization

    def racing_lock(actor, organization_id, act=common.MANAGE_RELATIONS):
        barrier.wait()
        return original(actor, organization_id, act)

    monkeypatch.setattr(relations, "locked_organization", racing_lock)
    outcomes: list[str] = []

    def remove(actor, contact) -> None:
        try:
            relations.end_relations(
                actor=actor,
                organization_id=local.pk,
                contact_id=contact.pk,
                relation_ids=None,
                attestations=["J'atteste"],
            )
            outcomes.append("removed")
        except Refused:
            outcomes.append("refused")
        except Exception as error:  # noqa: BLE001 (reported to the test thread)
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=remove, args=(first, second_person)),
        threading.Thread(target=remove, args=(second, first_person)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["Http404", "removed"]
    assert queries.active_responsibles(local.pk).count() == 1

"""Capacity under concurrency on PostgreSQL: threads with their own connections."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from guichet.registrations.models import Registration, Submission
from guichet.registrations.services.register import submit_cart
from tests.registrations.engine_support import add_child, make_offering, make_person

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(jobs: list[Callable[[], Any]]) -> tuple[list[Any], list[BaseException]]:
    """Start every job at the same instant, each thread on its own DB connection."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(job: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            outcome = job()
            with lock:
                results.append(outcome)
        except BaseException as error:  # noqa: BLE001 (reported to the test)
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


def release_and_fill(registration: Registration) -> None:
    from guichet.registrations.services.waitlist import fill_from_waiting_list, release

    release(registration)
    Registration.objects.filter(pk=registration.pk).update(status="cancelled")
    fill_from_waiting_list(registration.offering_id)


def test_forty_families_for_the_last_five_spots():
    offering = make_offering(capacity=10, spots_taken=5)
    people = [make_person() for _ in range(40)]

    def job(account, dossier):
        return lambda: submit_cart(
            actor=account,
            lines=[(offering, dossier, {}, {})],
            idempotency_key=uuid.uuid4().hex,
            right_for=None,
        )["lines"][0]["outcome"]

    outcomes, errors = run_together([job(*who) for who in people])
    assert errors == []
    assert sorted(outcomes).count("held") == 5
    assert outcomes.count("waiting") == 35
    offering.refresh_from_db()
    assert offering.spots_taken == 10
    assert Registration.objects.filter(status="held").count() == 5
    # The waiting list keeps the order of arrival: each waiting one arrived after the held.
    held = Registration.objects.filter(status="held").order_by("created_at", "id")
    waiting = list(Registration.objects.filter(status="waiting").order_by("created_at", "id"))
    assert len(waiting) == 35 and len({r.participant_id for r in waiting}) == 35
    # A freed spot goes to the first to have arrived on the waiting list.
    release_and_fill(held.first())
    assert Registration.objects.get(status="offered").pk == waiting[0].pk


def test_the_same_key_from_ten_threads_registers_once():
    offering = make_offering(capacity=3)
    account, dossier = make_person()
    key = uuid.uuid4().hex

    def job():
        return submit_cart(
            actor=account, lines=[(offering, dossier, {}, {})], idempotency_key=key, right_for=None
        )

    results, errors = run_together([job] * 10)
    assert errors == []
    assert Submission.objects.count() == 1
    assert Registration.objects.count() == 1
    assert all(result == results[0] for result in results)
    assert results[0]["lines"][0]["outcome"] == "held"
    offering.refresh_from_db()
    assert offering.spots_taken == 1


def test_household_cart_of_three_children_into_two_offerings_with_one_spot_each():
    guardian, _ = make_person()
    kids = [add_child(guardian) for _ in range(3)]
    swim = make_offering(capacity=4, spots_taken=3)
    skate = make_offering(capacity=4, spots_taken=3)
    rival, rival_dossier = make_person()

    def family():
        return submit_cart(
            actor=guardian,
            lines=[(offering, kid, {}, {}) for offering in (swim, skate) for kid in kids],
            idempotency_key=uuid.uuid4().hex,
            right_for=None,
        )

    def competitor():
        return submit_cart(
            actor=rival,
            lines=[(skate, rival_dossier, {}, {})],
            idempotency_key=uuid.uuid4().hex,
            right_for=None,
        )

    results, errors = run_together([family, competitor])
    assert errors == []
    family_result = next(r for r in results if len(r["lines"]) == 6)
    swim_outcomes = [line["outcome"] for line in family_result["lines"][:3]]
    skate_outcomes = [line["outcome"] for line in family_result["lines"][3:]]
    assert swim_outcomes == ["held", "waiting", "waiting"]  # the cart's own order wins
    assert sorted(skate_outcomes).count("held") <= 1
    assert skate_outcomes.count("held") + skate_outcomes.count("waiting") == 3
    for offering in (swim, skate):
        offering.refresh_from_db()
        assert offering.spots_taken == 4
        assert Registration.objects.filter(offering=offering, status="held").count() == 1

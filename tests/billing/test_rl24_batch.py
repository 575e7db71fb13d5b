"""Staff produce a year's Relevé 24 slips as a batch: progress, re-runs, A and D slips."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from guichet.audit.models import Action, AuditEvent
from guichet.billing.models import BatchStatus, SlipStatus, TaxSlipBatch, TaxSlipRL24
from guichet.billing.services.rl24 import set_split
from guichet.billing.services.rl24_batch import start_batch
from tests.billing.cast import child_of, holder
from tests.billing.rl24_cast import SIN_A, SIN_B, childcare_invoice, pay, with_sin

pytestmark = pytest.mark.django_db

D = datetime.date
YEAR = 2026


def run(staff, django_capture_on_commit_callbacks, year=YEAR) -> TaxSlipBatch:
    with django_capture_on_commit_callbacks(execute=True):
        batch = start_batch(year, actor=staff)
    batch.refresh_from_db()
    return batch


def current_slips(**filters):
    return TaxSlipRL24.objects.filter(year=YEAR, current=True, **filters)


def paid_family(price="200.00", first_name="Léa"):
    guardian, payer = holder()
    child = child_of(guardian, first_name=first_name)
    invoice = childcare_invoice(guardian, child, price)
    pay(invoice, price, D(YEAR, 6, 1))
    with_sin(guardian, payer)
    return guardian, payer, child, invoice


def test_a_batch_reaches_its_total_and_issues_one_original_slip_per_payer_and_child(
    staff, django_capture_on_commit_callbacks
):
    _g1, payer1, child1, _ = paid_family("200.00")
    _g2, payer2, child2, _ = paid_family("150.00", first_name="Noé")
    batch = run(staff, django_capture_on_commit_callbacks)
    assert batch.status == BatchStatus.DONE and batch.finished_at
    assert batch.total == batch.done == 2
    assert batch.report["issued"] == 2
    slip = current_slips().get(payer=payer1, child=child1)
    assert slip.status == SlipStatus.ORIGINAL and slip.batch == batch
    assert slip.number == f"RL24-{YEAR}-00001"
    assert slip.amount_paid == Decimal("200.00") and slip.payer_sin_last3 == SIN_A[-3:]
    assert slip.data["C"] == slip.data["E"] == "200.00" and slip.data["code"] == "R"
    assert slip.data["child"]["birth_date"] == child1.birth_date.isoformat()
    assert slip.data["issuer"]["number"] == "RS0001234567"
    assert SIN_A not in str(slip.data)
    assert current_slips().get(payer=payer2, child=child2).amount_paid == Decimal("150.00")
    event = AuditEvent.objects.get(action=Action.TAX_SLIPS_ISSUED)
    assert event.data["issued"] == 2 and event.actor == staff


def test_running_a_year_again_leaves_unchanged_slips_alone(
    staff, django_capture_on_commit_callbacks
):
    paid_family()
    run(staff, django_capture_on_commit_callbacks)
    again = run(staff, django_capture_on_commit_callbacks)
    assert again.report["unchanged"] == 1 and again.report["issued"] == 0
    assert TaxSlipRL24.objects.count() == 1


def test_a_changed_amount_gets_an_amended_slip_replacing_the_old_one(
    staff, django_capture_on_commit_callbacks
):
    _guardian, payer, child, invoice = paid_family("200.00")
    run(staff, django_capture_on_commit_callbacks)
    original = TaxSlipRL24.objects.get()
    pay(invoice, "-50.00", D(YEAR, 9, 1))
    batch = run(staff, django_capture_on_commit_callbacks)
    assert batch.report["amended"] == 1
    original.refresh_from_db()
    amended = current_slips().get(payer=payer, child=child)
    assert not original.current
    assert amended.status == SlipStatus.AMENDED and amended.replaces == original
    assert amended.amount_paid == Decimal("150.00")
    assert amended.data["replaces_number"] == original.number


def test_an_amount_fallen_to_zero_gets_a_cancellation_slip(
    staff, django_capture_on_commit_callbacks
):
    _guardian, payer, child, invoice = paid_family("200.00")
    run(staff, django_capture_on_commit_callbacks)
    pay(invoice, "-200.00", D(YEAR, 9, 1))
    batch = run(staff, django_capture_on_commit_callbacks)
    assert batch.report["cancelled"] == 1
    cancelled = current_slips().get(payer=payer, child=child)
    assert cancelled.status == SlipStatus.CANCELLED and cancelled.amount_paid == 0
    assert cancelled.data["C"] == "200.00"  # a cancellation repeats the slip it cancels
    # Once cancelled, running again changes nothing.
    assert run(staff, django_capture_on_commit_callbacks).report["cancelled"] == 0
    assert TaxSlipRL24.objects.count() == 2


def test_a_payer_without_a_nas_gets_no_slip_until_they_enter_it(
    staff, django_capture_on_commit_callbacks
):
    guardian, payer = holder(first_name="Sans", last_name="Numéro")
    child = child_of(guardian)
    pay(childcare_invoice(guardian, child, "99.99"), "99.99", D(YEAR, 5, 5))
    batch = run(staff, django_capture_on_commit_callbacks)
    assert batch.report["missing_sin"] == [
        {
            "payer": payer.pk,
            "payer_name": "Sans Numéro",
            "payer_number": payer.number,
            "child_name": child.display_name,
            "amount": "99.99",
        }
    ]
    assert not TaxSlipRL24.objects.exists()
    with_sin(guardian, payer)
    assert run(staff, django_capture_on_commit_callbacks).report["issued"] == 1


def test_a_double_click_starts_one_batch(staff, django_capture_on_commit_callbacks):
    paid_family()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = start_batch(YEAR, actor=staff)
        second = start_batch(YEAR, actor=staff)
    assert first == second and len(callbacks) == 1
    assert TaxSlipBatch.objects.count() == 1


def test_a_batch_left_running_by_a_dead_worker_no_longer_blocks_the_year(
    staff, django_capture_on_commit_callbacks
):
    paid_family()
    with django_capture_on_commit_callbacks(execute=False):
        stuck = start_batch(YEAR, actor=staff)
    TaxSlipBatch.objects.filter(pk=stuck.pk).update(
        status=BatchStatus.RUNNING, created_at=stuck.created_at - datetime.timedelta(hours=2)
    )
    with django_capture_on_commit_callbacks(execute=False):
        assert start_batch(YEAR, actor=staff) != stuck


def test_two_separated_guardians_paying_for_the_same_child_each_get_their_own_slip(
    staff, django_capture_on_commit_callbacks
):
    mother, mother_file = holder(first_name="Marie", last_name="Tremblay")
    father, father_file = holder(first_name="Jean", last_name="Gagnon")
    child = child_of(mother, father, first_name="Léa", last_name="Gagnon")
    pay(childcare_invoice(mother, child, "230.00"), "230.00", D(YEAR, 6, 20))
    pay(childcare_invoice(father, child, "95.01"), "95.01", D(YEAR, 7, 10))
    with_sin(mother, mother_file, SIN_A)
    with_sin(father, father_file, SIN_B)
    run(staff, django_capture_on_commit_callbacks)
    mothers = current_slips().get(payer=mother_file, child=child)
    fathers = current_slips().get(payer=father_file, child=child)
    assert (mothers.amount_paid, mothers.payer_sin_last3) == (Decimal("230.00"), SIN_A[-3:])
    assert (fathers.amount_paid, fathers.payer_sin_last3) == (Decimal("95.01"), SIN_B[-3:])
    assert mothers.data["recipient"]["name"] == "Marie Tremblay"
    assert fathers.data["recipient"]["name"] == "Jean Gagnon"

    # The father shares what he paid 50/50 with the mother: amended slips, same total.
    set_split(
        child=child,
        year=YEAR,
        payer=father_file,
        other_payer=mother_file,
        percent=Decimal("50"),
        actor=father,
    )
    batch = run(staff, django_capture_on_commit_callbacks)
    assert batch.report["amended"] == 2
    mothers = current_slips().get(payer=mother_file, child=child)
    fathers = current_slips().get(payer=father_file, child=child)
    assert fathers.amount_paid == Decimal("47.50")
    assert mothers.amount_paid == Decimal("230.00") + Decimal("47.51")
    assert mothers.amount_paid + fathers.amount_paid == Decimal("325.01")

"""What goes on each Relevé 24: the eligible amounts actually paid in the calendar year."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from guichet.billing.models import PaymentMethod
from guichet.billing.services.invoicing import DraftLine, Payer, issue_invoice
from guichet.billing.services.ledger import record_payment
from guichet.billing.services.rl24 import (
    SplitRefused,
    amounts_for_year,
    is_eligible_child,
    paid_in_year,
    prorate,
    set_split,
)
from guichet.core.money import to_cents
from tests.billing.cast import child_of, holder, invoiced
from tests.billing.rl24_cast import childcare_invoice, pay
from tests.catalog.factories import OfferingFactory

D = datetime.date
money = Decimal


def amounts(year, payer=None):
    return {(row.payer_id, row.child_id): row.amount for row in amounts_for_year(year, payer)}


# --- Pure parts --------------------------------------------------------------------------


def test_a_child_under_16_at_some_time_in_the_year_is_eligible():
    assert is_eligible_child(D(2016, 3, 2), 2026)
    assert is_eligible_child(D(2010, 12, 31), 2026)  # 15 at year end
    assert is_eligible_child(D(2010, 1, 1), 2026)  # turns 16 in 2026: born in year − 16
    assert not is_eligible_child(D(2009, 12, 31), 2026)  # 16 all year long
    assert not is_eligible_child(None, 2026)


@given(
    st.lists(st.integers(min_value=-50_000, max_value=500_000), min_size=1, max_size=8),
    st.integers(min_value=0, max_value=100_000),
    st.integers(min_value=1, max_value=100_000),
)
def test_prorated_shares_add_up_to_the_share_of_the_sum(cents, part_cents, extra_cents):
    amounts_ = [Decimal(c) / 100 for c in cents]
    part = Decimal(part_cents) / 100
    whole = part + Decimal(extra_cents) / 100
    shares = prorate(amounts_, part, whole)
    assert all(share == to_cents(share) for share in shares)
    assert sum(shares) == to_cents(sum(amounts_) * part / whole)


def test_prorate_pays_the_eligible_part_exactly_when_paid_in_three_thirds():
    shares = prorate(
        [money("52.50"), money("52.50"), money("52.49")], money("100.00"), money("157.49")
    )
    assert sum(shares) == money("100.00")


# --- From real invoices and payments -------------------------------------------------------


@pytest.mark.django_db
def test_only_what_is_paid_in_the_year_counts():
    guardian, payer = holder()
    child = child_of(guardian)
    invoice = childcare_invoice(guardian, child, "300.00")
    pay(invoice, "100.00", D(2025, 12, 31))
    pay(invoice, "200.00", D(2026, 1, 1))
    assert amounts(2025) == {(payer.pk, child.pk): money("100.00")}
    assert amounts(2026) == {(payer.pk, child.pk): money("200.00")}


@pytest.mark.django_db
def test_the_year_is_the_montreal_date_of_the_payment():
    guardian, payer = holder()
    child = child_of(guardian)
    invoice = childcare_invoice(guardian, child, "300.00")
    # 23:30 on December 31 in Montreal is already January 1 in UTC.
    with time_machine.travel(datetime.datetime(2026, 1, 1, 4, 30, tzinfo=datetime.UTC)):
        record_payment(invoice, amount=money("120.00"), method=PaymentMethod.CARD)
    # 00:30 on January 1 in Montreal.
    with time_machine.travel(datetime.datetime(2026, 1, 1, 5, 30, tzinfo=datetime.UTC)):
        record_payment(invoice, amount=money("180.00"), method=PaymentMethod.CARD)
    assert amounts(2025) == {(payer.pk, child.pk): money("120.00")}
    assert amounts(2026) == {(payer.pk, child.pk): money("180.00")}


@pytest.mark.django_db
def test_refunds_in_the_year_are_subtracted():
    guardian, payer = holder()
    child = child_of(guardian)
    invoice = childcare_invoice(guardian, child, "250.00")
    pay(invoice, "250.00", D(2026, 3, 1))
    pay(invoice, "-75.25", D(2026, 6, 1))
    assert amounts(2026) == {(payer.pk, child.pk): money("174.75")}


@pytest.mark.django_db
def test_a_mixed_invoice_counts_only_its_eligible_share_of_each_payment():
    guardian, payer = holder()
    child = child_of(guardian)
    invoice = issue_invoice(
        payer=Payer(payer, guardian),
        lines=[
            DraftLine("Camp de jour", money("100.00"), tax_exempt=True, childcare_eligible=True),
            DraftLine("T-shirt du camp", money("50.00")),  # taxed: 57.49
        ],
        actor=guardian,
        participant=child,
    )
    assert invoice.total == money("157.49")
    pay(invoice, "52.50", D(2026, 2, 1))
    pay(invoice, "52.50", D(2026, 3, 1))
    first_two = amounts(2026)[(payer.pk, child.pk)]
    assert first_two == to_cents(money("105.00") * 100 / money("157.49"))
    pay(invoice, "52.49", D(2027, 1, 5))
    # Across the years, the eligible shares add up exactly to the eligible line.
    assert first_two + amounts(2027)[(payer.pk, child.pk)] == money("100.00")


@pytest.mark.django_db
def test_a_16_year_old_counts_the_year_they_turn_16_and_not_after():
    guardian, payer = holder()
    teen = child_of(guardian, birth_date=D(2010, 8, 20))
    invoice = childcare_invoice(guardian, teen, "80.00")
    pay(invoice, "40.00", D(2026, 7, 1))
    pay(invoice, "40.00", D(2027, 7, 1))
    assert amounts(2026) == {(payer.pk, teen.pk): money("40.00")}
    assert amounts(2027) == {}


@pytest.mark.django_db
def test_a_non_eligible_offering_is_not_reported():
    guardian, payer = holder()
    child = child_of(guardian)
    _registration, invoice = invoiced(
        guardian, child, OfferingFactory(tax_exempt=True, non_member_price=money("90.00"))
    )
    pay(invoice, "90.00", D(2026, 4, 1))
    assert amounts(2026) == {}


@pytest.mark.django_db
def test_an_adult_participant_is_not_a_child():
    account, dossier = holder()
    invoice = childcare_invoice(account, dossier, "60.00")  # born in 1985
    pay(invoice, "60.00", D(2026, 4, 1))
    assert paid_in_year(2026) == {}


# --- Separated guardians ---------------------------------------------------------------------


def separated_guardians():
    mother, mother_file = holder(first_name="Marie", last_name="Tremblay")
    father, father_file = holder(first_name="Jean", last_name="Gagnon")
    child = child_of(mother, father, first_name="Léa", last_name="Gagnon")
    return (mother, mother_file), (father, father_file), child


@pytest.mark.django_db
def test_two_separated_guardians_each_have_their_own_amounts():
    (mother, mother_file), (father, father_file), child = separated_guardians()
    pay(childcare_invoice(mother, child, "230.00"), "230.00", D(2026, 6, 20))
    pay(childcare_invoice(father, child, "95.01"), "95.01", D(2026, 7, 10))
    assert amounts(2026) == {
        (mother_file.pk, child.pk): money("230.00"),
        (father_file.pk, child.pk): money("95.01"),
    }
    assert amounts(2026, mother_file) == {(mother_file.pk, child.pk): money("230.00")}


@pytest.mark.django_db
def test_a_50_50_split_moves_half_to_the_other_guardian_exactly_to_the_cent():
    (mother, mother_file), (father, father_file), child = separated_guardians()
    pay(childcare_invoice(mother, child, "95.01"), "95.01", D(2026, 6, 20))
    set_split(
        child=child,
        year=2026,
        payer=mother_file,
        other_payer=father_file,
        percent=money("50"),
        actor=mother,
    )
    result = amounts(2026)
    assert result == {
        (mother_file.pk, child.pk): money("47.50"),
        (father_file.pk, child.pk): money("47.51"),
    }
    assert sum(result.values()) == money("95.01")
    # Each guardian's own view sees the same figure.
    assert amounts(2026, father_file) == {(father_file.pk, child.pk): money("47.51")}


@pytest.mark.django_db
def test_a_split_needs_two_guardians_of_the_child():
    (mother, mother_file), _father, child = separated_guardians()
    _stranger, stranger_file = holder()
    with pytest.raises(SplitRefused):
        set_split(
            child=child,
            year=2026,
            payer=mother_file,
            other_payer=stranger_file,
            percent=money("50"),
            actor=mother,
        )

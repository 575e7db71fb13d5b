"""Quebec sales taxes, line by line, rounded half up to the cent (property-based)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guichet.billing import taxes
from guichet.billing.services.invoicing import DraftLine, Payer, credit_invoice, issue_invoice
from guichet.core.money import split, to_cents

prices = st.decimals(min_value=Decimal("0.00"), max_value=Decimal("99999.99"), places=2)
quantities = st.integers(min_value=1, max_value=40)


@pytest.mark.parametrize(
    ("amount", "gst", "qst"),
    [
        ("100.00", "5.00", "9.98"),  # 9.975 → 9.98: half up
        ("0.10", "0.01", "0.01"),  # 0.005 → 0.01 and 0.009975 → 0.01
        ("0.05", "0.00", "0.00"),  # 0.0025 and 0.0049875 round down
        ("0.30", "0.02", "0.03"),  # 0.015 → 0.02 and 0.029925 → 0.03
        ("95.00", "4.75", "9.48"),  # 9.47625 → 9.48
        ("19.99", "1.00", "1.99"),  # 0.9995 → 1.00 and 1.9940025 → 1.99
        ("65.00", "3.25", "6.48"),  # 6.48375 → 6.48
        ("0.00", "0.00", "0.00"),
    ],
)
def test_known_amounts_are_taxed_as_revenu_quebec_rounds(amount, gst, qst):
    line = taxes.tax_line(1, Decimal(amount), exempt=False)
    assert (line.gst, line.qst) == (Decimal(gst), Decimal(qst))
    assert line.total == Decimal(amount) + Decimal(gst) + Decimal(qst)


@given(price=prices, quantity=quantities)
def test_each_tax_is_the_rate_on_the_amount_before_gst_within_half_a_cent(price, quantity):
    line = taxes.tax_line(quantity, price, exempt=False)
    assert line.amount == price * quantity
    assert abs(line.gst - line.amount * Decimal("0.05")) <= Decimal("0.005")
    assert abs(line.qst - line.amount * Decimal("0.09975")) <= Decimal("0.005")
    # Never tax on tax: the QST does not depend on the GST.
    assert line.qst == to_cents(line.amount * Decimal("0.09975"))
    for value in (line.amount, line.gst, line.qst, line.total):
        assert value == value.quantize(Decimal("0.01"))


@given(price=prices, quantity=quantities)
def test_an_exempt_line_carries_no_tax(price, quantity):
    line = taxes.tax_line(quantity, price, exempt=True)
    assert line.gst == line.qst == Decimal("0.00") and line.total == price * quantity


@given(st.lists(st.tuples(prices, quantities, st.booleans()), min_size=1, max_size=12))
def test_totals_are_the_sum_of_the_lines(lines):
    taxed = [taxes.tax_line(q, p, exempt=e) for p, q, e in lines]
    totals = taxes.add_up(taxed)
    assert totals.amount == sum(t.amount for t in taxed)
    assert totals.gst == sum(t.gst for t in taxed)
    assert totals.qst == sum(t.qst for t in taxed)
    assert totals.total == sum(t.total for t in taxed)


@given(amount=prices, percent=st.decimals(min_value=0, max_value=100, places=2))
def test_a_split_adds_up_to_the_cent(amount, percent):
    share, rest = split(amount, percent)
    assert share + rest == amount and share >= 0 and rest >= 0


def test_money_is_never_a_float():
    with pytest.raises(TypeError):
        to_cents(0.1)


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    lines=st.lists(st.tuples(prices, quantities, st.booleans()), min_size=1, max_size=6),
    keep=st.decimals(min_value=Decimal("0.00"), max_value=Decimal("500.00"), places=2),
)
def test_credit_notes_net_the_invoice_to_zero(account, lines, keep):
    with transaction.atomic():
        invoice = issue_invoice(
            payer=Payer(None, account),
            lines=[DraftLine("Ligne", p, q, tax_exempt=e) for p, q, e in lines],
            actor=account,
        )
        first = credit_invoice(invoice, actor=account, reason="Frais retenus", keep=keep)
        rest = credit_invoice(invoice, actor=account, reason="Annulation")
        invoice.refresh_from_db()
        notes = [note for note in (first, rest) if note is not None]
        assert sum(note.total for note in notes) == invoice.total == invoice.amount_credited
        for note in notes:
            assert note.total == sum(line.total for line in note.lines.all())
        if invoice.total:
            assert invoice.balance == Decimal("0.00") and invoice.status == "credited"
        transaction.set_rollback(True)

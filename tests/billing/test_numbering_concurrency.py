"""Invoice numbers on PostgreSQL: sequential per year, no gap and no duplicate, even
when many issuers run at once and some of their transactions roll back."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone

from guichet.billing.models import DocumentKind, Invoice, NumberSequence
from guichet.billing.numbering import next_number
from guichet.billing.services.invoicing import DraftLine, Payer, issue_invoice
from tests.factories import AccountFactory
from tests.registrations.test_capacity_concurrency import run_together

pytestmark = pytest.mark.django_db(transaction=True)


class ForcedRollback(Exception):
    pass


def issue(account, *, fail: bool):
    def job():
        try:
            with transaction.atomic():
                invoice = issue_invoice(
                    payer=Payer(None, account),
                    lines=[DraftLine("Inscription", Decimal("25.00"))],
                    actor=account,
                )
                if fail:  # e.g. the registration's savepoint failed after numbering
                    raise ForcedRollback
                return invoice.number
        except ForcedRollback:
            return None

    return job


def sequence_of(numbers):
    return sorted(int(re.fullmatch(r"F-\d{4}-(\d{5})", n).group(1)) for n in numbers)


def test_thirty_concurrent_issuers_with_rollbacks_leave_no_gap():
    account = AccountFactory()
    jobs = [issue(account, fail=i % 3 == 0) for i in range(30)]
    numbers, errors = run_together(jobs)
    assert errors == []
    kept = [n for n in numbers if n]
    assert len(kept) == 20
    assert sequence_of(kept) == list(range(1, 21))
    assert sequence_of(Invoice.objects.values_list("number", flat=True)) == list(range(1, 21))
    year = timezone.localdate().year
    assert NumberSequence.objects.get(kind=DocumentKind.INVOICE, year=year).last == 20


def test_numbers_restart_each_year_and_per_kind():
    with transaction.atomic():
        assert next_number(DocumentKind.INVOICE, 2025) == "F-2025-00001"
        assert next_number(DocumentKind.INVOICE, 2026) == "F-2026-00001"
        assert next_number(DocumentKind.CREDIT_NOTE, 2026) == "NC-2026-00001"
        assert next_number(DocumentKind.INVOICE, 2026) == "F-2026-00002"


def test_a_number_is_taken_only_inside_a_transaction():
    assert not connection.in_atomic_block
    with pytest.raises(RuntimeError):
        next_number(DocumentKind.INVOICE, 2026)

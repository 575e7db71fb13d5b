"""A list's queries do not grow with its rows (the key, the page, its relations)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guichet.billing.services.payments import record_receipt
from tests.api.support import ApiClient, make_key
from tests.billing.cast import holder, invoiced
from tests.catalog.factories import OfferingFactory, SessionFactory

pytestmark = pytest.mark.django_db

PATHS = ["/api/v1/registrations/", "/api/v1/invoices/", "/api/v1/offerings/", "/api/v1/payments/"]


def queries(client: ApiClient, path: str) -> int:
    client.get(path)  # the key's ``last_used_at`` is written at most once a minute
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def add_rows(account, dossier, count: int) -> None:
    for _ in range(count):
        offering = OfferingFactory(non_member_price=Decimal("10.00"))
        SessionFactory(offering=offering)
        _, invoice = invoiced(account, dossier, offering)
        record_receipt(
            invoice,
            amount=invoice.total,
            method="cheque",
            received_on=timezone.localdate(),
            actor=account,
        )


@pytest.mark.parametrize("path", PATHS)
def test_queries_do_not_grow_with_rows(path):
    account, dossier = holder()
    api = ApiClient(make_key(account))
    add_rows(account, dossier, 1)
    few = queries(api, path)
    add_rows(account, dossier, 4)
    assert queries(api, path) == few
    assert len(api.get(path).json()["results"]) == 5

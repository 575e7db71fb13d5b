"""Two agents approve at the same moment: each dossier gets its own number.

Runs on PostgreSQL (the suite's database): two threads, two real transactions.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from guichet.accounts.models import StaffRole
from guichet.dossiers import numbering
from guichet.requests import services
from tests.dossiers.factories import DossierFactory
from tests.factories import AccountFactory
from tests.requests.factories import DossierNumberRequestFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_simultaneous_approvals_get_two_numbers(monkeypatch):
    DossierFactory(number="10041")
    staff = AccountFactory(is_staff=True)
    StaffRole.objects.create(account=staff, role="registrar")
    first, second = DossierNumberRequestFactory(), DossierNumberRequestFactory()
    # Both threads read the highest number before either inserts: the race is certain.
    barrier = threading.Barrier(2, timeout=20)
    reads: list[int | None] = []
    original = numbering.highest_number
    local = threading.local()

    def racing_read() -> int | None:
        value = original()
        reads.append(value)
        if not getattr(local, "waited", False):
            local.waited = True
            barrier.wait()
        return value

    monkeypatch.setattr(numbering, "highest_number", racing_read)
    errors: list[BaseException] = []

    def approve(pk: int) -> None:
        try:
            services.approve_dossier_number_request(pk, actor=staff)
        except BaseException as error:  # noqa: BLE001 (reported to the test thread)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(r.pk,)) for r in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    first.refresh_from_db()
    second.refresh_from_db()
    assert {first.dossier.number, second.dossier.number} == {"10042", "10043"}
    assert reads[:2] == [10041, 10041]  # both computed 10042; one retried
    assert len(reads) == 3

"""The audit row is part of the write: when it cannot be written, the write fails with it
(zulip writes ``RealmAuditLog`` inside the ``do_*`` function's transaction). Only the
receivers that observe someone else's write (Django's and allauth's signals) are lenient.

The audit table is made to refuse every insert by a trigger, as a full disk or a revoked
grant would: a real database error, on the real database."""

from __future__ import annotations

import logging

import pytest
from django.db import DatabaseError, connection
from django.utils import timezone

from guichet.audit.models import AuditEvent
from guichet.dossiers.models import Delegation, Dossier
from guichet.dossiers.services.delegation import grant_delegation
from guichet.dossiers.services.profile import update_information
from tests.dossiers.factories import DossierFactory, DossierLinkFactory
from tests.factories import AccountFactory

# Not inside the test's own transaction: the service's atomic block is the real one.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def trail_refuses_writes():
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION guichet_test_refuse_audit() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'the audit trail refuses writes'; END $$ LANGUAGE plpgsql"
        )
        cursor.execute(
            f"CREATE TRIGGER guichet_test_refuse_audit BEFORE INSERT ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION guichet_test_refuse_audit()"
        )
    yield
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER IF EXISTS guichet_test_refuse_audit ON {table}")
        cursor.execute("DROP FUNCTION IF EXISTS guichet_test_refuse_audit()")


def test_a_profile_change_is_not_saved_when_its_audit_row_fails(trail_refuses_writes):
    link = DossierLinkFactory(dossier=DossierFactory(home_city="Baie-Comeau"))

    with pytest.raises(DatabaseError):
        update_information(link.dossier, {"home_city": "Québec"}, actor=link.account)

    assert Dossier.objects.get(pk=link.dossier.pk).home_city == "Baie-Comeau"


def test_a_delegation_is_not_granted_when_its_audit_row_fails(trail_refuses_writes):
    staff = AccountFactory(is_staff=True)
    delegate = AccountFactory()

    with pytest.raises(DatabaseError):
        grant_delegation(delegate, starts_on=timezone.localdate(), ends_on=None, actor=staff)

    assert not Delegation.objects.exists()


def test_signing_in_still_works_when_the_trail_fails_and_the_failure_is_logged(
    client, trail_refuses_writes, caplog
):
    account = AccountFactory()

    with caplog.at_level(logging.ERROR, logger="guichet.audit.services"):
        client.force_login(account)

    assert client.get("/compte/securite/").status_code == 200
    assert "account.login" in caplog.text
    assert not AuditEvent.objects.exists()

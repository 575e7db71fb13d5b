"""Schema-driven: schemathesis reads the OpenAPI schema the API serves, makes requests for
every documented operation (valid and invalid parameters and bodies, made up from the
schema), sends them through the WSGI application with a real staff key over real data,
and checks each answer against the schema — a documented status code, a documented
content type, a body matching the documented schema — and that none is a server error."""

from __future__ import annotations

from decimal import Decimal

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from guichet.organizations.models import RelationType
from guichet.wsgi import application
from tests.api.support import make_key
from tests.billing.cast import holder, invoiced
from tests.catalog.factories import SessionFactory
from tests.factories import AccountFactory
from tests.memberships.cast import member_types
from tests.organizations.cast import contact_with_account, organization, relate

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


# The schema as served (read at collection: generating it needs no database).
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)


@pytest.fixture
def wsgi_keeps_the_connection(db):
    """The WSGI handler closes the database connection after each request (as a server
    should); the test's transaction lives on it, so, as Django's test client does, not
    here."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def shared_data(django_db_setup, django_db_blocker):
    """A staff key with every scope over a little of everything, made once for all the
    operations, in a transaction rolled back at the end (each test's own is nested in
    it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        anne, anne_file = holder()
        invoiced(anne, anne_file, non_member_price=Decimal("40.00"))
        SessionFactory()
        local = organization("Syndicat local 1234")
        _, person = contact_with_account()
        relate(person, local, RelationType.RESPONSIBLE, {"paiements": "write"})
        member_types()
        staff = AccountFactory(is_staff=True, is_superuser=True)
        yield make_key(staff, name="Schéma", rate_per_minute=1_000_000)
        transaction.set_rollback(True)


@pytest.fixture
def staff_token(shared_data, wsgi_keeps_the_connection):
    return shared_data


@schema.parametrize()
@settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_documented_endpoint_answers_as_documented(case, staff_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {staff_token}"}, checks=CHECKS)

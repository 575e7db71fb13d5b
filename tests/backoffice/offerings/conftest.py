from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.utils import translation

from guichet.accounts.models import StaffRole
from guichet.core.roles import Role
from tests.factories import AccountFactory


def staff_client_with(client, *roles):
    account = AccountFactory(is_staff=True)
    for role in roles:
        StaffRole.objects.create(account=account, role=role)
    # StaffSecondFactorMiddleware sends staff without a second factor to set one up.
    Authenticator.objects.create(user=account, type=Authenticator.Type.TOTP, data={})
    client.force_login(account)
    client.account = account
    return client


@pytest.fixture(autouse=True)
def _french_to_start():
    """A page seen earlier leaves its language active; rows are made in French here."""
    with translation.override("fr"):
        yield


@pytest.fixture
def registrar_client(client, db):
    return staff_client_with(client, Role.REGISTRAR)


@pytest.fixture
def counter_client(client, db):
    return staff_client_with(client, Role.COUNTER)

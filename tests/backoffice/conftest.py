"""The back office: staff accounts holding one role each, with the second factor staff need."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from guichet.accounts.models import StaffRole
from tests.factories import AccountFactory


@pytest.fixture
def staff_with(db, password):
    """``staff_with("counter")``: a staff account holding those roles, with a second factor."""

    def make(*roles: str, **fields):
        account = AccountFactory(password=password, is_staff=True, **fields)
        for role in roles:
            StaffRole.objects.create(account=account, role=role)
        Authenticator.objects.create(user=account, type=Authenticator.Type.TOTP, data={})
        return account

    return make


@pytest.fixture
def client_of():
    """A test client signed in as ``account``."""

    def make(account) -> Client:
        client = Client()
        client.force_login(account)
        return client

    return make

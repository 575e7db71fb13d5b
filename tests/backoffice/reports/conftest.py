"""Staff accounts holding one role each, with the second factor staff must have."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator

from guichet.accounts.models import StaffRole
from tests.factories import AccountFactory


@pytest.fixture
def staff_with(db, password):
    """``staff_with("accounting")``: a staff account holding those roles, two-factor on."""

    def make(*roles: str, **fields):
        account = AccountFactory(password=password, is_staff=True, **fields)
        Authenticator.objects.create(user=account, type=Authenticator.Type.TOTP, data={})
        for role in roles:
            StaffRole.objects.create(account=account, role=role)
        return account

    return make

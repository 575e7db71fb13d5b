"""Catalog: a staff agent with the second factor staff need."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator


@pytest.fixture
def staff_client(client, staff):
    # StaffSecondFactorMiddleware sends staff without a second factor to set one up.
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={})
    client.force_login(staff)
    return client

from __future__ import annotations

import pytest

from tests.api.support import ApiClient, make_key
from tests.billing.cast import holder


@pytest.fixture
def staff_api(staff):
    return ApiClient(make_key(staff, name="ERP"))


@pytest.fixture
def household(db):
    """An account holding its own dossier: (account, dossier)."""
    return holder()

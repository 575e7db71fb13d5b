from __future__ import annotations

import pytest

from guichet.organizations.models import RelationType
from tests.organizations.cast import act_as, contact_with_account, organization, relate

CODES = ("donnees", "paiements", "plaintes", "profil", "rapport-mensuel", "scrutin")


@pytest.fixture
def ccq(settings):
    settings.GUICHET_PRESET = "ccq"


@pytest.fixture
def local(db):
    return organization("Syndicat local 1234", email="local@exemple.ca")


@pytest.fixture
def responsible(local):
    """The local's responsible, acting for it: (account, person, relation)."""
    account, person = contact_with_account()
    relation = relate(person, local, RelationType.RESPONSIBLE, dict.fromkeys(CODES, "write"))
    return account, person, relation


@pytest.fixture
def responsible_client(client, responsible, local):
    return act_as(client, responsible[0], local)

from __future__ import annotations

import pytest


@pytest.fixture
def comaq(settings):
    """COMAQ's preset: the OMA title, memberships and the members directory."""
    settings.GUICHET_PRESET = "comaq"
    return settings

"""Refusals speak of « Ma famille » only where the operator has households."""

from __future__ import annotations

import pytest
from django.utils import translation

from guichet.dossiers.services.linking import Outcome, Status
from guichet.dossiers.views.linking import refusal_message


@pytest.mark.parametrize("preset", ["comaq", "umq", "ccq", "caomsc"])
def test_a_minor_refused_as_holder_is_not_sent_to_a_missing_family_page(settings, preset):
    settings.GUICHET_PRESET = preset
    with translation.override("fr"):
        message = refusal_message(Outcome(Status.MINOR))
    assert message == "Le titulaire du compte doit avoir 18 ans ou plus."


def test_a_city_sends_the_minor_to_the_family_page(settings):
    settings.GUICHET_PRESET = "baie-comeau"
    with translation.override("fr"):
        assert "« Ma famille »" in refusal_message(Outcome(Status.MINOR))

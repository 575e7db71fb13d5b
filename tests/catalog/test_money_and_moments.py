"""How amounts and moments read: « 1 250,00 $ », « 1er décembre 2026 à 19 h »."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import translation

from guichet.catalog.templatetags.catalog import local_moment, money


@pytest.mark.parametrize(
    ("amount", "french", "english"),
    [
        (Decimal("125"), "125,00 $", "$125.00"),
        (Decimal("1250.5"), "1 250,50 $", "$1,250.50"),
        (Decimal("0.005"), "0,01 $", "$0.01"),
        (Decimal("-20"), "-20,00 $", "-$20.00"),
    ],
)
def test_money_reads_as_people_write_it(amount, french, english):
    with translation.override("fr"):
        assert money(amount) == french
    with translation.override("en"):
        assert money(amount) == english


def test_moments_are_shown_in_montreal_time_in_both_languages():
    moment = datetime.datetime(2026, 12, 2, 0, 0, tzinfo=datetime.UTC)

    with translation.override("fr"):
        assert local_moment(moment) == "1er décembre 2026 à 19 h"
    with translation.override("en"):
        assert local_moment(moment) == "December 1, 2026 at 19:00"


@pytest.mark.django_db
def test_the_catalog_reads_in_english_too(client):
    from tests.catalog.factories import OfferingFactory

    OfferingFactory(title="Yoga pour adultes", title_en="Yoga for adults", capacity=5)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get("/catalogue/")

    assert "Yoga for adults" in response.content.decode()
    assert "5 spots left" in response.content.decode()

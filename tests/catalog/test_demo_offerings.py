"""The demo's offerings: all three kinds, idempotent, one opening five minutes later."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from guichet.catalog import demo
from guichet.catalog.models import Offering, OfferingKind, Option

pytestmark = pytest.mark.django_db

LOADED_AT = datetime.datetime(2026, 11, 23, 21, 12, 37, tzinfo=datetime.UTC)


@time_machine.travel(LOADED_AT, tick=False)
def test_demo_has_every_kind_and_runs_twice_without_duplicates():
    demo.load()
    demo.load()

    kinds = set(Offering.objects.values_list("kind", flat=True))
    assert kinds == {OfferingKind.TRAINING, OfferingKind.EVENT, OfferingKind.ACTIVITY}
    assert Offering.objects.count() == len(demo.offerings(timezone.now()))
    congress = Offering.objects.get(slug="congres-annuel-2027")
    assert list(congress.options.values_list("name", "card_only")) == [
        ("Soirée gala", False),
        ("Accompagnateur au gala", True),
    ]
    assert Option.objects.count() == 2
    assert congress.sessions.count() == 3
    assert congress.questions.count() == 3


@time_machine.travel(LOADED_AT, tick=False)
def test_one_activity_opens_five_minutes_after_the_load_on_the_minute():
    lines = demo.load()

    camp = Offering.objects.get(slug="camp-de-jour-relache")
    assert camp.registration_opens_at == datetime.datetime(
        2026, 11, 23, 21, 17, tzinfo=datetime.UTC
    )
    assert not camp.is_open()
    assert (
        "Ouverture à surveiller",
        "« Camp de jour — semaine de relâche (5 à 12 ans) » "
        "ouvre à 16 h 17 (/catalogue/camp-de-jour-relache/)",
    ) in lines


def test_a_second_load_moves_the_opening_but_keeps_spots_taken():
    with time_machine.travel(LOADED_AT, tick=False):
        demo.load()
    Offering.objects.filter(slug="yoga-pour-adultes").update(spots_taken=5)
    with time_machine.travel(LOADED_AT + datetime.timedelta(hours=2), tick=False):
        demo.load()

    camp = Offering.objects.get(slug="camp-de-jour-relache")
    assert camp.registration_opens_at == LOADED_AT.replace(second=0) + datetime.timedelta(
        hours=2, minutes=5
    )
    assert Offering.objects.get(slug="yoga-pour-adultes").spots_taken == 5


@time_machine.travel(LOADED_AT, tick=False)
def test_demo_has_a_full_activity_and_a_residents_first_one():
    demo.load()

    full = Offering.objects.get(slug="patinage-initiation-5-7-ans")
    swim = Offering.objects.get(slug="natation-etoile-de-mer")
    assert full.spots_left == 0
    assert swim.residents_first_until > timezone.now()
    assert (swim.min_age, swim.max_age) == (6, 8)


@time_machine.travel(LOADED_AT, tick=False)
def test_catalog_shows_the_demo(client):
    demo.load()

    response = client.get("/catalogue/")

    assert response.status_code == 200
    assert response.context["page"].paginator.count == len(demo.offerings(timezone.now()))

"""The virtual queue at an opening: arrival order, admission rate, place shown."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from guichet.registrations.services.queue import place_in_line
from tests.registrations.engine_support import make_offering, make_person
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

OPENING = datetime.datetime(2026, 12, 1, 19, 0, tzinfo=datetime.UTC)


def test_arrival_order_and_admission_per_minute(settings):
    settings.GUICHET_QUEUE_ADMIT_PER_MINUTE = 2
    accounts = [make_person()[0] for _ in range(5)]
    early = OPENING - datetime.timedelta(minutes=5)
    assert [place_in_line(a, OPENING, early).position for a in accounts] == [0, 1, 2, 3, 4]
    at_opening = OPENING + datetime.timedelta(seconds=10)
    places = [place_in_line(a, OPENING, at_opening) for a in accounts]
    assert [p.admitted for p in places] == [True, True, False, False, False]
    assert [p.position for p in places[2:]] == [1, 2, 3]
    a_minute_later = OPENING + datetime.timedelta(minutes=1, seconds=5)
    assert place_in_line(accounts[3], OPENING, a_minute_later).admitted
    assert not place_in_line(accounts[4], OPENING, a_minute_later).admitted


def test_no_queue_outside_the_window(settings):
    settings.GUICHET_QUEUE_ADMIT_PER_MINUTE = 1
    account, _ = make_person()
    assert place_in_line(account, OPENING, OPENING + datetime.timedelta(hours=2)) is None


def test_the_page_shows_the_place_in_line(client, settings):
    settings.GUICHET_QUEUE_ADMIT_PER_MINUTE = 1
    with time_machine.travel(OPENING - datetime.timedelta(minutes=2), tick=False):
        offering = make_offering(
            registration_opens_at=OPENING,
            registration_closes_at=OPENING + datetime.timedelta(days=3),
        )
        first, second = make_person()[0], make_person()[0]
        url = reverse("registrations:start", args=[offering.slug])
        for account in (first, second):
            client.force_login(account)
            client.get(url)  # tickets in arrival order, before the opening
    with time_machine.travel(OPENING + datetime.timedelta(seconds=3), tick=False):
        client.force_login(second)
        page = client.get(url)
        assert "1 personne devant vous" in text_of(page)
        assert page.templates[0].name == "registrations/queue.html"
        client.force_login(first)
        assert client.get(url).templates[0].name == "registrations/start_who.html"

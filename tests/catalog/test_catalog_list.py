"""The public catalog: search, filters, cards and a flat number of queries."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from guichet.catalog.models import OfferingKind
from tests.catalog.factories import OfferingFactory
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

URL = "/catalogue/"


def titles(response) -> list[str]:
    return [offering.title for offering in response.context["page"].object_list]


def test_catalog_is_mounted_at_catalogue():
    assert reverse("catalog:list") == URL


def test_visitor_sees_published_offerings_only(client):
    OfferingFactory(title="Yoga pour adultes")
    OfferingFactory(title="Brouillon", published=False)

    response = client.get(URL)

    assert response.status_code == 200
    assert titles(response) == ["Yoga pour adultes"]
    assert "Brouillon" not in text_of(response)


def test_finished_offerings_leave_the_catalog(client):
    past = timezone.localdate() - datetime.timedelta(days=60)
    OfferingFactory(title="Ancienne", starts_on=past, ends_on=past + datetime.timedelta(days=7))
    OfferingFactory(title="Prochaine")

    assert titles(client.get(URL)) == ["Prochaine"]


def test_search_matches_title_and_description(client):
    OfferingFactory(title="Natation — Étoile de mer", description="Dans la piscine")
    OfferingFactory(title="Yoga", description="Détente et piscine de sons")
    OfferingFactory(title="Hockey cosom", description="Au gymnase")

    assert titles(client.get(URL, {"q": "natation"})) == ["Natation — Étoile de mer"]
    assert sorted(titles(client.get(URL, {"q": "piscine"}))) == [
        "Natation — Étoile de mer",
        "Yoga",
    ]


def test_filter_by_kind(client):
    OfferingFactory(title="Congrès annuel 2027", kind=OfferingKind.EVENT)
    OfferingFactory(title="Gestion contractuelle", kind=OfferingKind.TRAINING)
    OfferingFactory(title="Yoga", kind=OfferingKind.ACTIVITY)

    assert titles(client.get(URL, {"kind": "training"})) == ["Gestion contractuelle"]
    assert titles(client.get(URL, {"kind": "event"})) == ["Congrès annuel 2027"]


def test_filter_by_age_keeps_offerings_open_to_that_age(client):
    OfferingFactory(title="Natation 6 à 8 ans", min_age=6, max_age=8)
    OfferingFactory(title="Hockey 9 à 12 ans", min_age=9, max_age=12)
    OfferingFactory(title="Pour tous")

    assert sorted(titles(client.get(URL, {"age": "8"}))) == ["Natation 6 à 8 ans", "Pour tous"]
    assert sorted(titles(client.get(URL, {"age": "9"}))) == ["Hockey 9 à 12 ans", "Pour tous"]


def test_filter_by_date_range_keeps_overlapping_offerings(client):
    base = timezone.localdate() + datetime.timedelta(days=10)
    OfferingFactory(title="Tôt", starts_on=base, ends_on=base + datetime.timedelta(days=2))
    OfferingFactory(
        title="Tard",
        starts_on=base + datetime.timedelta(days=30),
        ends_on=base + datetime.timedelta(days=31),
    )

    response = client.get(
        URL,
        {
            "starts_after": base.isoformat(),
            "ends_before": (base + datetime.timedelta(days=5)).isoformat(),
        },
    )

    assert titles(response) == ["Tôt"]


def test_end_before_start_is_explained_beside_the_field_and_kept(client):
    response = client.get(URL, {"starts_after": "2027-02-01", "ends_before": "2027-01-01"})

    page = text_of(response)
    assert "La date de fin doit suivre la date de début." in page
    assert 'value="2027-02-01"' in page


def test_filter_by_place(client):
    OfferingFactory(title="À la piscine", place="Piscine Henry-Leonard")
    OfferingFactory(title="À l'aréna", place="Aréna Jean-Guy-Talbot")

    response = client.get(URL, {"place": "Piscine Henry-Leonard"})

    assert titles(response) == ["À la piscine"]
    assert "Aréna Jean-Guy-Talbot" in text_of(response)  # still a choice in the list


def test_free_spots_only_hides_full_offerings(client):
    OfferingFactory(title="Complet", capacity=10, spots_taken=10)
    OfferingFactory(title="Places libres", capacity=10, spots_taken=7)

    assert titles(client.get(URL, {"free_only": "on"})) == ["Places libres"]


def test_card_shows_dates_place_prices_and_spots_left(client):
    start = datetime.date(2030, 1, 8)
    OfferingFactory(
        title="Hockey cosom",
        starts_on=start,
        ends_on=datetime.date(2030, 2, 26),
        place="Gymnase de l'école Boisvert",
        member_price=Decimal("45.00"),
        non_member_price=Decimal("1250.00"),
        capacity=20,
        spots_taken=17,
    )
    OfferingFactory(title="Patinage", capacity=10, spots_taken=10)
    OfferingFactory(title="Dernière place", capacity=10, spots_taken=9)

    page = text_of(client.get(URL))

    assert "Du 8 janvier 2030 au 26 février 2030" in page
    assert "Gymnase de l'école Boisvert" in page
    assert "Membre : 45,00 $ · Non-membre : 1 250,00 $" in page
    assert "3 places restantes" in page
    assert "1 place restante" in page
    assert "Complet — liste d'attente" in page


@time_machine.travel(datetime.datetime(2026, 11, 20, 12, 0, tzinfo=datetime.UTC), tick=False)
def test_card_shows_when_registration_opens(client):
    OfferingFactory(
        title="Camp de jour",
        registration_opens_at=datetime.datetime(2026, 12, 2, 0, 0, tzinfo=datetime.UTC),
    )

    page = text_of(client.get(URL))

    assert "Inscriptions à partir du 1er décembre 2026 à 19 h." in page


def test_pages_of_twelve_keep_the_filters(client):
    for number in range(14):
        OfferingFactory(title=f"Cours {number:02d}", kind=OfferingKind.TRAINING)
    OfferingFactory(title="Autre", kind=OfferingKind.EVENT)

    first = client.get(URL, {"kind": "training"})
    second = client.get(URL, {"kind": "training", "page": "2"})

    assert len(titles(first)) == 12
    assert len(titles(second)) == 2
    assert "?kind=training&amp;page=2" in first.content.decode()
    assert "14 offres" in text_of(first)


@pytest.mark.parametrize("count", [1, 12])
def test_catalog_queries_stay_flat(client, django_assert_max_num_queries, count):
    for _ in range(count):
        OfferingFactory()

    with django_assert_max_num_queries(4):
        response = client.get(URL, {"q": "Activité", "age": "9", "free_only": "on"})

    assert len(titles(response)) == count


def test_catalog_link_is_in_the_header_for_everyone(client):
    page = text_of(client.get("/"))

    assert 'href="/catalogue/"' in page
    assert "Activités et formations" in page

"""A visitor browses the catalog, filters it and opens an offering, on a phone and a desk."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from guichet.catalog.models import OfferingKind
from tests.catalog.factories import OfferingFactory, OptionFactory, SessionFactory
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def offerings() -> None:
    swim = OfferingFactory(
        title="Natation — niveau Étoile de mer (6 à 8 ans)",
        slug="natation-etoile-de-mer",
        place="Piscine Henry-Leonard",
        min_age=6,
        max_age=8,
        capacity=12,
        spots_taken=9,
        residents_first_until=timezone.now() + datetime.timedelta(days=2),
    )
    SessionFactory(offering=swim)
    OfferingFactory(title="Hockey cosom 9-12 ans", min_age=9, max_age=12)
    OfferingFactory(title="Yoga pour adultes", min_age=18)
    OfferingFactory(
        title="La gestion contractuelle municipale", kind=OfferingKind.TRAINING, min_age=18
    )
    congress = OfferingFactory(title="Congrès annuel 2027", kind=OfferingKind.EVENT)
    OptionFactory(offering=congress, name="Accompagnateur au gala", card_only=True)


@pytest.mark.parametrize("width", [360, 1280])
def test_visitor_filters_by_kind_and_age_then_opens_an_offering(page: Page, width: int):
    offerings()
    page.set_viewport_size({"width": width, "height": 900})

    page.goto("/")
    page.get_by_role("link", name="Activités et formations").click()
    expect(page.get_by_role("heading", name="Activités et formations", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="5 offres")).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    page.get_by_label("Type").select_option(label="Activité")
    page.get_by_label("Âge").fill("7")
    page.get_by_role("button", name="Filtrer").click()

    expect(page.get_by_role("heading", name="1 offre")).to_be_visible()
    expect(page.get_by_text("3 places restantes")).to_be_visible()
    expect(page.get_by_label("Âge")).to_have_value("7")
    assert_accessible(page)

    page.get_by_role("link", name="Natation — niveau Étoile de mer (6 à 8 ans)").click()
    expect(page).to_have_url(re.compile(r"/catalogue/natation-etoile-de-mer/$"))
    expect(
        page.get_by_role("heading", name="Natation — niveau Étoile de mer (6 à 8 ans)")
    ).to_be_visible()
    expect(page.get_by_text("Piscine Henry-Leonard").first).to_be_visible()
    expect(page.get_by_text("Cette activité est offerte aux 6 à 8 ans")).to_be_visible()
    expect(page.get_by_role("table", name="Date, heure et lieu de chaque séance")).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def test_countdown_runs_on_the_server_clock_and_the_page_opens(page: Page):
    opens = timezone.now() + datetime.timedelta(seconds=4)
    OfferingFactory(title="Camp de jour", slug="camp-de-jour", registration_opens_at=opens)
    # The browser's clock is an hour late: the countdown must not care.
    page.clock.install(time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1))
    page.clock.resume()

    page.goto("/catalogue/camp-de-jour/")

    expect(page.get_by_text("Les inscriptions ouvriront le")).to_be_visible()
    expect(page.get_by_role("timer")).to_have_text(re.compile(r"^Ouverture dans [0-5] s\.$"))
    assert_accessible(page)
    expect(page.get_by_text("Inscriptions ouvertes jusqu'au")).to_be_visible(timeout=15_000)
    expect(page.get_by_role("timer")).to_have_count(0)

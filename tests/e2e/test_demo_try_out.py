"""Trying the demo: right after ``load_demo``, the demo guardian registers a child to a
children's activity through the pages, as a person trying Guichet would."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from guichet.accounts.demo import DEMO_PASSWORD
from guichet.registrations.models import Registration
from tests.core.test_load_demo import load_demo
from tests.e2e.test_account_journeys import sign_in
from tests.support.browser import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SWIMMING = "Natation — niveau Étoile de mer (6 à 8 ans)"


@pytest.mark.parametrize("slug", ["demo", "baie-comeau"])
def test_the_demo_guardian_registers_a_child_at_once(page: Page, settings, slug):
    settings.GUICHET_PRESET = slug
    load_demo()

    sign_in(page, "marie.tremblay@exemple.ca", DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="Mon dossier")).to_be_visible()
    page.get_by_role("navigation", name="Compte").get_by_role("link", name="Activités").click()
    page.get_by_role("link", name=SWIMMING).click()
    # Registration is open to residents first: Marie's family lives in the town.
    # Nothing to ask: the activity's own page registers, in one step.
    page.get_by_label("Thomas Tremblay").check()
    assert_accessible(page)
    page.get_by_role("button", name="S'inscrire").click()

    expect(page.get_by_text("Place réservée", exact=False)).to_be_visible()
    registration = Registration.objects.get(offering__slug="natation-etoile-de-mer")
    assert registration.participant.first_name == "Thomas"
    assert registration.status == "held"

"""A date typed in a real browser: the expected form beside the field, a date that cannot
be read answered beside it (never an error page), the usual Quebec forms accepted."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.dossiers.factories import DossierLinkFactory
from tests.e2e.test_account_journeys import sign_in
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Une phrase de passe bien longue"


def test_the_statement_period_reads_quebec_dates_and_explains_a_wrong_one(page: Page):
    link = DossierLinkFactory(account__password=PASSWORD)
    sign_in(page, link.account.email, PASSWORD)
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto("/factures/releve-de-compte/")
    start = page.get_by_label("Du", exact=True)
    expect(start).to_have_attribute("type", "text")
    expect(start).to_have_accessible_description(
        re.compile("AAAA-MM-JJ ou JJ/MM/AAAA, par exemple 2015-09-14.")
    )

    start.fill("31/02/2026")
    page.get_by_role("button", name="Afficher le relevé").click()
    start = page.get_by_label("Du", exact=True)
    expect(start).to_have_value("31/02/2026")
    expect(start).to_have_attribute("aria-invalid", "true")
    expect(start).to_have_accessible_description(
        re.compile("Cette date n'existe pas : vérifiez le jour et le mois.")
    )
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    start.fill("01/01/2026")
    page.get_by_label("Au", exact=True).fill("2026/12/31")
    page.get_by_role("button", name="Afficher le relevé").click()
    expect(
        page.get_by_role("heading", name="Du 1er janvier 2026 au 31 décembre 2026")
    ).to_be_visible()
    assert_accessible(page)

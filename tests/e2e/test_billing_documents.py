"""A guardian finds the invoice of their child's registration in « Mon dossier », opens it,
downloads its PDF and opens the statement of account."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from tests.billing.cast import child_of, holder, invoiced
from tests.e2e.test_account_journeys import sign_in
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def check_page(page: Page) -> None:
    """Accessible, and no sideways scrolling on a 360 px wide phone."""
    assert_accessible(page)
    page.set_viewport_size({"width": 360, "height": 800})
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_guardian_finds_opens_and_downloads_the_invoice(page: Page, password):
    guardian, _ = holder(first_name="Geneviève", last_name="Lavoie", password=password)
    child = child_of(guardian, first_name="Léa", last_name="Lavoie")
    _registration, invoice = invoiced(
        guardian, child, title="Natation junior", non_member_price=Decimal("100.00")
    )

    sign_in(page, guardian.email, password)
    page.goto("/mon-dossier/")
    page.get_by_role("link", name="Mes factures et crédits").first.click()
    expect(page.get_by_role("heading", name="Mes factures et crédits", level=1)).to_be_visible()
    row = page.get_by_role("row").filter(has_text=invoice.number)
    expect(row).to_contain_text("Natation junior — Léa Lavoie")
    expect(row).to_contain_text("114,98 $")
    expect(row).to_contain_text("Impayée")
    expect(page.get_by_text("Solde total à payer : 114,98 $")).to_be_visible()
    check_page(page)

    page.get_by_role("link", name=f"Facture {invoice.number}", exact=True).click()
    expect(page.get_by_role("heading", name=f"Facture {invoice.number}", level=1)).to_be_visible()
    expect(page.get_by_role("rowheader", name="Natation junior — Léa Lavoie")).to_be_visible()
    check_page(page)

    link = page.get_by_role("link", name="Télécharger la facture (PDF)")
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    page.get_by_role("link", name="Mes factures et crédits").first.click()
    page.get_by_role("link", name="Relevé de compte").click()
    expect(page.get_by_role("heading", name="Relevé de compte", level=1)).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=invoice.number)).to_contain_text("114,98 $")
    expect(page.get_by_role("row").filter(has_text="Solde de clôture")).to_contain_text("114,98 $")
    check_page(page)

    page.get_by_label("Du").fill("2020-01-01")
    page.get_by_label("Au").fill("2020-12-31")
    page.get_by_role("button", name="Afficher le relevé").click()
    expect(page.get_by_text("Rien n'a été facturé, crédité, payé ni remboursé")).to_be_visible()
    statement_pdf = page.get_by_role("link", name="Télécharger le relevé (PDF)")
    response = page.request.get(statement_pdf.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"

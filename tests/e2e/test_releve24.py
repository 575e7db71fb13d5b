"""The Relevé 24 as a guardian and staff live it: the NAS asked when needed (a wrong one
first), the slips produced by staff, the guardian's PDF."""

from __future__ import annotations

import datetime
import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from guichet.billing.models import PayerTaxInfo
from tests.billing.cast import child_of, holder
from tests.billing.rl24_cast import childcare_invoice, pay
from tests.e2e.test_account_journeys import sign_in
from tests.e2e.test_my_trainings import staff_page
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_guardian_enters_the_nas_then_downloads_the_releve_24(
    page: Page, browser, base_url, staff, password, tmp_path
):
    guardian, payer = holder(first_name="Marie", last_name="Tremblay", password=password)
    father, _ = holder(first_name="Jean", last_name="Gagnon")
    child = child_of(guardian, father, first_name="Léa", last_name="Gagnon")
    year = timezone.localdate().year
    invoice = childcare_invoice(guardian, child, "180.00", title="Camp de jour estival")
    pay(invoice, "180.00", datetime.date(year, 1, 15))

    sign_in(page, guardian.email, password)
    page.goto("/factures/releve-24/")
    expect(page.get_by_role("heading", name="Relevé 24 (frais de garde d'enfants)")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Votre numéro d'assurance sociale est requis")
    ).to_be_visible()
    expect(page.get_by_role("cell", name="180,00 $").first).to_be_visible()
    assert_accessible(page)

    nas = page.get_by_label("Numéro d'assurance sociale (NAS)")
    nas.fill("104 796 668")
    page.get_by_role("button", name="Enregistrer mon numéro d'assurance sociale").click()
    expect(
        page.get_by_text("Ce n'est pas un numéro d'assurance sociale valide", exact=False)
    ).to_be_visible()
    expect(page.get_by_label("Numéro d'assurance sociale (NAS)")).to_have_value("104 796 668")
    page.get_by_text("Partager les frais").click()  # the split form, opened, is checked too
    assert_accessible(page)
    page.screenshot(path=tmp_path / "error.png", full_page=True)
    assert not PayerTaxInfo.objects.filter(dossier=payer).exists()

    page.get_by_label("Numéro d'assurance sociale (NAS)").fill("104 796 669")
    page.get_by_role("button", name="Enregistrer mon numéro d'assurance sociale").click()
    expect(page.get_by_text("Votre numéro d'assurance sociale a été enregistré.")).to_be_visible()
    expect(page.get_by_text("Au dossier : *** *** 669")).to_be_visible()
    assert "104 796 669" not in page.content()

    desk = staff_page(browser, base_url, staff)
    try:
        desk.goto("/personnel/")
        desk.get_by_role("link", name="Relevés 24").click()
        expect(desk.get_by_role("heading", name="Relevés 24", level=1)).to_be_visible()
        assert_accessible(desk)
        desk.get_by_label("Année").select_option(str(year))
        desk.get_by_role("button", name="Produire les relevés").click()
        expect(desk.get_by_role("heading", name=f"Relevés 24 de {year}")).to_be_visible()
        expect(desk.get_by_text("Terminé : 1 sur 1 payeurs et enfants traités.")).to_be_visible()
        assert_accessible(desk)
    finally:
        desk.context.close()

    page.goto("/factures/releve-24/")
    link = page.get_by_role("link", name=f"Voir le Relevé 24 RL24-{year}-00001 (PDF)")
    expect(link).to_be_visible()
    page.set_viewport_size({"width": 360, "height": 800})
    assert_no_horizontal_scroll(page)
    page.screenshot(path=tmp_path / "narrow.png", full_page=True)
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "releve.pdf"
    pdf.write_bytes(response.body())
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Relevé 24" in text and "180,00 $" in text and "*** *** 669" in text
    assert "104796669" not in text

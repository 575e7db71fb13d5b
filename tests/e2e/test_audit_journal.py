"""Staff read the audit journal in the browser: details as a person reads them, column
headers whole at 1280 px, one card per event at 360 px. Screenshots are kept in
/tmp/guichet-journal/ to be looked at."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from playwright.sync_api import Page, expect

from guichet.audit.models import Action, AuditEvent, Right
from guichet.billing.services.ledger import record_payment
from tests.billing.cast import holder, invoiced
from tests.dossiers.factories import DossierFactory
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/guichet-journal")  # noqa: S108  (kept to be looked at)

# Each header: the width its content box has, and the width of its longest word.
HEADER_WIDTHS = """() => Array.from(document.querySelectorAll('table.journal thead th')).map(th => {
  const style = getComputedStyle(th);
  const inner = th.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const probe = document.createElement('span');
  probe.style.cssText = 'position:absolute;visibility:hidden;white-space:nowrap';
  th.appendChild(probe);
  const words = th.firstChild.textContent.trim().split(/\\s+/);
  const widest = Math.max(...words.map(w => { probe.textContent = w; return probe.offsetWidth; }));
  probe.remove();
  return {header: th.firstChild.textContent.trim(), inner, widest};
})"""


def staff_page(browser, base_url: str, staff) -> Page:
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    session = Client()
    session.force_login(staff)
    desk = browser.new_context(base_url=base_url, locale="fr-CA")
    desk.add_cookies(
        [{"name": "sessionid", "value": session.cookies["sessionid"].value, "url": base_url}]
    )
    return desk.new_page()


@pytest.fixture
def trail(staff):
    """A payment, an address change with long values and a failed linking attempt."""
    account, dossier = holder(
        first_name="Marie-Ève", last_name="Tremblay-Bouchard", email="marie-eve.tremblay@exemple.ca"
    )
    _registration, invoice = invoiced(account, dossier, non_member_price=Decimal("100.00"))
    record_payment(invoice, amount=invoice.total, method="interac", actor=staff)
    AuditEvent.objects.create(
        action=Action.PROFILE_CHANGED,
        actor=account,
        subject=account,
        dossier=dossier,
        right=Right.SELF,
        ip_address="203.0.113.42",
        data={
            "section": "information",
            "before": {
                "home_street": "1234, boulevard des Hauts-Bois-de-la-Rivière-Saint-Charles",
                "main_address": "home",
            },
            "after": {
                "home_street": "98, rue de l'Anse-aux-Outardes-et-des-Trois-Pistoles",
                "main_address": "work",
            },
        },
    )
    AuditEvent.objects.create(
        action=Action.LINK_FAILED,
        actor=account,
        subject=account,
        dossier=DossierFactory(),
        right=Right.SELF,
        data={"method": "number_birth_date", "reason": "refused"},
    )
    return invoice


def test_staff_read_the_journal_with_whole_headers_at_1280_and_cards_at_360(
    browser, base_url, staff, trail
):
    SHOTS.mkdir(exist_ok=True)
    page = staff_page(browser, base_url, staff)
    try:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto("/personnel/journal/")
        expect(page.get_by_role("heading", name="Piste de vérification")).to_be_visible()
        expect(page.get_by_role("link", name=trail.number).first).to_be_visible()
        expect(page.get_by_text("Virement Interac").first).to_be_visible()
        expect(page.get_by_text("Adresse (adresse personnelle)")).to_be_visible()
        page.screenshot(path=str(SHOTS / "journal-1280.png"), full_page=True)
        for header in page.evaluate(HEADER_WIDTHS):
            assert header["widest"] <= header["inner"] + 0.5, header
        assert_accessible(page)

        page.set_viewport_size({"width": 360, "height": 800})
        page.screenshot(path=str(SHOTS / "journal-360.png"), full_page=True)
        assert_no_horizontal_scroll(page)
        wrap = page.locator(".table-wrap")
        assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth"), "the table scrolls"
        box = page.get_by_role("link", name=trail.number).first.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360, box

        page.set_viewport_size({"width": 1280, "height": 900})
        page.get_by_role("button", name="English").click()
        expect(page.get_by_role("heading", name="Audit trail")).to_be_visible()
        expect(page.get_by_text("Interac e-Transfer").first).to_be_visible()
        page.screenshot(path=str(SHOTS / "journal-1280-en.png"), full_page=True)
        for header in page.evaluate(HEADER_WIDTHS):
            assert header["widest"] <= header["inner"] + 0.5, header
    finally:
        page.context.close()

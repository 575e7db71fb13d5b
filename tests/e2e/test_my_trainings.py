"""A training participant gets the attendance confirmation once staff mark attendance."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.core.files.base import ContentFile
from django.test import Client
from playwright.sync_api import Page, expect

from guichet.catalog.models import OfferingDocument
from tests.e2e.test_account_journeys import sign_in
from tests.registrations.factories_mine import (
    OfferingFactory,
    RegistrationFactory,
    days_from_today,
    holder_of,
)
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def staff_page(browser, base_url: str, staff) -> Page:
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    session = Client()
    session.force_login(staff)
    desk = browser.new_context(base_url=base_url, locale="fr-CA")
    desk.add_cookies(
        [{"name": "sessionid", "value": session.cookies["sessionid"].value, "url": base_url}]
    )
    return desk.new_page()


def test_staff_mark_attendance_then_the_participant_downloads_the_confirmation(
    page: Page, browser, base_url, staff, account, password, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    dossier = holder_of(account, first_name="Mathilde", last_name="Bérubé")
    training = OfferingFactory(title="Rédaction des procès-verbaux", starts_on=days_from_today(-1))
    OfferingDocument.objects.create(
        offering=training,
        title="Corrigé des exercices",
        file=ContentFile(b"%PDF-1.4 corrige", name="corrige.pdf"),
        after_attendance=True,
    )
    RegistrationFactory(offering=training, participant=dossier, registered_by=account)

    agent = staff_page(browser, base_url, staff)
    try:
        agent.goto("/inscriptions/personnel/presences/")
        assert_accessible(agent)
        agent.get_by_role("link", name="Rédaction des procès-verbaux").click()
        expect(
            agent.get_by_role("heading", name="Présences : Rédaction des procès-verbaux")
        ).to_be_visible()
        assert_accessible(agent)
        agent.get_by_role("checkbox", name="Présent Mathilde Bérubé").check()
        agent.get_by_role("button", name="Enregistrer les présences").click()
        expect(agent.get_by_text("Présences enregistrées (1 changement).")).to_be_visible()
        expect(agent.get_by_role("checkbox", name="Présent Mathilde Bérubé")).to_be_checked()
    finally:
        agent.context.close()

    sign_in(page, account.email, password)
    page.goto("/mon-dossier/")
    page.get_by_role("link", name="Mes formations").first.click()
    expect(page.get_by_role("heading", name="Mes formations", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Rédaction des procès-verbaux")).to_be_visible()
    expect(page.get_by_text("Inscription confirmée")).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 360, "height": 800})
    assert_no_horizontal_scroll(page)

    link = page.get_by_role("link", name="Attestation de présence (PDF)")
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    document = page.request.get(
        page.get_by_role("link", name="Corrigé des exercices").get_attribute("href")
    )
    assert document.status == 200
    assert document.body() == b"%PDF-1.4 corrige"

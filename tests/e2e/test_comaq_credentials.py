"""COMAQ: « Titre OMA et attestations » and the members directory, in a real browser.

A member's progress toward the OMA title moves when staff mark a training's attendance;
the attendance attestation's PDF is signed and its QR page confirms it; once staff revoke
it, the page says so. The member appears in the directory only after opting in.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from playwright.sync_api import Page, expect

from guichet.credentials import signing
from guichet.credentials.models import Attestation
from guichet.registrations.services.attendance import mark_attendance
from tests.credentials.cast import member_of
from tests.credentials.test_attestation_documents import trusted_validation
from tests.e2e.test_account_journeys import sign_in
from tests.factories import AccountFactory
from tests.registrations.factories_mine import (
    OfferingFactory,
    RegistrationFactory,
    days_from_today,
    holder_of,
)
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def staff_page(browser, base_url: str, staff) -> Page:
    Authenticator.objects.get_or_create(
        user=staff, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
    )
    session = Client()
    session.force_login(staff)
    desk = browser.new_context(base_url=base_url, locale="fr-CA")
    desk.add_cookies(
        [{"name": "sessionid", "value": session.cookies["sessionid"].value, "url": base_url}]
    )
    return desk.new_page()


def test_progress_moves_with_attendance_and_the_qr_page_confirms_then_says_revoked(
    page: Page, browser, base_url, staff, account, password, settings, tmp_path
):
    settings.GUICHET_PRESET = "comaq"
    settings.DATA_DIR = tmp_path
    signing.signer.cache_clear()  # the demonstration certificate, made in tmp_path
    dossier = member_of(account, first_name="Mathilde", last_name="Bérubé")
    training = OfferingFactory(
        title="Le rôle de l'officier municipal",
        code="OMA-101-2026",
        hours=Decimal("14"),
        starts_on=days_from_today(-2),
        ends_on=days_from_today(-1),
    )
    OfferingFactory(title="Gestion budgétaire avancée", code="OMA-102-2027", hours=Decimal("7"))
    RegistrationFactory(offering=training, participant=dossier, registered_by=account)

    sign_in(page, account.email, password)
    page.goto("/mon-dossier/")
    page.get_by_role("link", name="Titre OMA et attestations").first.click()
    expect(page.get_by_role("heading", name="Titre OMA et attestations", level=1)).to_be_visible()
    expect(page.get_by_text("0 h sur 45 h")).to_be_visible()
    expect(page.get_by_role("link", name="Gestion budgétaire avancée")).to_be_visible()
    assert_accessible(page)

    agent = staff_page(browser, base_url, staff)
    try:
        agent.goto("/inscriptions/personnel/presences/")
        agent.get_by_role("link", name="Le rôle de l'officier municipal").click()
        agent.get_by_role("checkbox", name="Présent Mathilde Bérubé").check()
        agent.get_by_role("button", name="Enregistrer les présences").click()
        expect(agent.get_by_text("Présences enregistrées (1 changement).")).to_be_visible()
    finally:
        agent.context.close()

    page.reload()
    expect(page.get_by_text("14 h sur 45 h")).to_be_visible()
    expect(
        page.get_by_text("Le rôle de l'officier municipal (OMA-101) — complété le")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Attestations obtenues")).to_be_visible()
    see = page.get_by_role("link", name=re.compile("^Voir"))
    expect(see).to_have_count(1)
    assert_accessible(page)
    page.set_viewport_size({"width": 360, "height": 800})
    assert_no_horizontal_scroll(page)

    pdf = page.request.get(see.get_attribute("href"), timeout=60_000)
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    # pyHanko's validator runs its own event loop: not in Playwright's thread.
    with ThreadPoolExecutor(1) as pool:
        status = pool.submit(trusted_validation, pdf.body(), signing.certificate_pem()).result()
    assert status.intact and status.valid and status.trusted

    attestation = Attestation.objects.get(dossier=dossier)
    page.set_viewport_size({"width": 1280, "height": 900})
    visitor = browser.new_context(base_url=base_url, locale="fr-CA").new_page()
    try:
        visitor.goto(f"/verifier/{attestation.code}/")
        expect(visitor.get_by_text("Cette attestation est authentique")).to_be_visible()
        expect(visitor.get_by_text("Mathilde Bérubé")).to_be_visible()
        assert_accessible(visitor)

        agent = staff_page(browser, base_url, staff)
        try:
            agent.goto("/personnel/")
            agent.get_by_role("link", name="Attestations").click()
            agent.get_by_label("Code, numéro de dossier ou nom").fill(attestation.display_code)
            agent.get_by_role("button", name="Rechercher").click()
            agent.get_by_role("link", name="Attestation de présence").click()
            assert_accessible(agent)
            agent.get_by_label("Motif de la révocation").fill("Présence saisie par erreur")
            agent.get_by_role("button", name="Révoquer l'attestation").click()
            expect(agent.get_by_text("L'attestation est révoquée.")).to_be_visible()
        finally:
            agent.context.close()

        visitor.reload()
        expect(visitor.get_by_text("Cette attestation a été révoquée le")).to_be_visible()
        expect(visitor.get_by_text("Présence saisie par erreur")).to_have_count(0)
        assert_accessible(visitor)
        unknown = visitor.goto("/verifier/ABCDEFGHJKMNPQRSTVWX/")
        assert unknown.status == 404
    finally:
        visitor.context.close()


def test_a_member_appears_in_the_directory_only_after_opting_in(
    page: Page, browser, base_url, account, password, settings
):
    settings.GUICHET_PRESET = "comaq"
    member_of(account, first_name="Mathilde", last_name="Bérubé")
    colleague = AccountFactory(password=password)
    member_of(colleague, first_name="Karim", last_name="Benali")
    outsider = AccountFactory(password=password)
    holder_of(outsider)  # a participant who is not a member

    sign_in(page, colleague.email, password)
    page.goto("/repertoire/")
    expect(page.get_by_role("heading", name="Répertoire des membres")).to_be_visible()
    expect(page.get_by_text("Mathilde Bérubé")).to_have_count(0)

    other = browser.new_context(base_url=base_url, locale="fr-CA").new_page()
    try:
        sign_in(other, account.email, password)
        other.goto("/mon-dossier/titre-et-attestations/")
        other.get_by_role("link", name="Répertoire des membres").click()
        other.get_by_role("link", name="Ma présence au répertoire").click()
        assert_accessible(other)
        other.get_by_label("Afficher mon profil dans le répertoire des membres").check()
        other.get_by_label("Ma région").select_option(label="Capitale-Nationale")
        other.get_by_role("button", name="Enregistrer").click()
        expect(
            other.get_by_text("Vos choix pour le répertoire des membres sont enregistrés.")
        ).to_be_visible()
        other.set_viewport_size({"width": 360, "height": 800})
        assert_no_horizontal_scroll(other)
    finally:
        other.context.close()

    page.reload()
    expect(page.get_by_role("heading", name="Mathilde Bérubé")).to_be_visible()
    page.get_by_label("Région").select_option(label="Capitale-Nationale")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("heading", name="Mathilde Bérubé")).to_be_visible()
    expect(page.get_by_text("1 membre", exact=True)).to_be_visible()
    assert_accessible(page)

    stranger = browser.new_context(base_url=base_url, locale="fr-CA").new_page()
    try:
        sign_in(stranger, outsider.email, password)
        response = stranger.goto("/repertoire/")
        assert response.status == 404
    finally:
        stranger.context.close()


def test_the_pages_in_english_and_at_360_pixels(page: Page, account, password, settings):
    settings.GUICHET_PRESET = "comaq"
    account.language = "en"
    account.save(update_fields=["language"])
    dossier = member_of(account, first_name="Mathilde", last_name="Bérubé")
    training = OfferingFactory(
        title="Le rôle de l'officier municipal",
        code="OMA-101-2026",
        starts_on=days_from_today(-2),
        ends_on=days_from_today(-1),
    )
    RegistrationFactory(offering=training, participant=dossier, registered_by=account)
    mark_attendance(training, [training.registrations.get().pk], actor=None)
    code = Attestation.objects.get(dossier=dossier).code

    page.goto("/compte/login/")
    page.get_by_label("Identifiant").fill(account.email)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_role("button", name="Connexion", exact=True).click()
    expected = {
        "/mon-dossier/titre-et-attestations/": "OMA title and attestations",
        "/repertoire/": "Members directory",
        "/repertoire/ma-presence/": "My presence in the directory",
        "/verifier/": "Verify an attestation",
        f"/verifier/{code}/": "Attestation verification",
    }
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 800})
        for path, heading in expected.items():
            page.goto(path)
            expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
            assert page.locator("html").get_attribute("lang") == "en-CA"
            assert_accessible(page)
            assert_no_horizontal_scroll(page)

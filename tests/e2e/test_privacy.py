"""« Mes données » in a real browser: a person gets a copy of their data and asks to close
their account; the privacy officer applies it and records an incident. axe-core on every
page, and at 360 px nothing scrolls sideways."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

from guichet.accounts.models import StaffRole
from guichet.dossiers.models import Dossier
from guichet.privacy.models import MailingList
from guichet.privacy.services import granted_lists, record_consents
from guichet.privacy.services.unsubscribing import token_for
from tests.billing.cast import holder, plain_invoice
from tests.e2e.test_account_journeys import sign_in
from tests.factories import AccountFactory
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Une phrase de passe bien longue"


def officer_page(browser, base_url: str) -> Page:
    officer = AccountFactory(password=PASSWORD, is_staff=True, first_name="Paule")
    StaffRole.objects.create(account=officer, role="privacy")
    Authenticator.objects.create(user=officer, type=Authenticator.Type.TOTP, data={"secret": "x"})
    session = Client()
    session.force_login(officer)
    desk = browser.new_context(base_url=base_url, locale="fr-CA")
    desk.add_cookies(
        [{"name": "sessionid", "value": session.cookies["sessionid"].value, "url": base_url}]
    )
    return desk.new_page()


def both_widths(page: Page) -> None:
    assert_accessible(page)
    page.set_viewport_size({"width": 360, "height": 800})
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_person_downloads_their_data_then_closes_their_account(page: Page, browser, base_url):
    account, file = holder(password=PASSWORD, first_name="Rosalie", last_name="Ouimet-Zhang")
    invoice = plain_invoice(account, file, "45.00", description="Cotisation annuelle")
    sign_in(page, account.email, PASSWORD)
    page.get_by_role("navigation", name="Sections de mon dossier").get_by_role(
        "link", name="Mes données", exact=True
    ).click()
    expect(page.get_by_role("heading", name="Mes données", level=1)).to_be_visible()
    expect(page.get_by_text("Six ans après la fin de l'année qu'ils visent")).to_be_visible()
    both_widths(page)

    page.get_by_role("button", name="Préparer une copie de mes données").click()
    expect(page.get_by_text("Votre copie est en préparation.")).to_be_visible()
    expect(page.get_by_role("cell", name="Prête à télécharger")).to_be_visible()
    both_widths(page)

    # A fresh sign-in first: the password again, then the archive comes.
    page.get_by_role("link", name="Télécharger mes données").click()
    expect(page.get_by_role("heading", name="Confirmer l'accès", level=1)).to_be_visible()
    page.get_by_label("Mot de passe").fill(PASSWORD)
    with page.expect_download() as waiting:
        page.get_by_role("button", name="Confirmer").click()
    download = waiting.value
    assert download.suggested_filename.startswith("mes-donnees-")
    with zipfile.ZipFile(io.BytesIO(open(download.path(), "rb").read())) as archive:
        names = archive.namelist()
        assert "README.txt" in names
        assert f"billing/documents/facture-{invoice.number}.pdf" in names
        assert "Ouimet-Zhang" in archive.read("account/account.json").decode()
    page.goto("/mon-dossier/mes-donnees/")
    expect(page.get_by_role("cell", name="Téléchargée")).to_be_visible()

    page.get_by_role("button", name="Demander la fermeture de mon compte").click()
    expect(page.get_by_text("Cochez la case pour confirmer que vous comprenez.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Je comprends que la fermeture de mon compte est définitive").check()
    page.get_by_role("button", name="Demander la fermeture de mon compte").click()
    expect(page.get_by_text("Votre demande de fermeture de compte a été envoyée.")).to_be_visible()
    expect(page.get_by_role("button", name="Retirer ma demande")).to_be_visible()
    both_widths(page)

    desk = officer_page(browser, base_url)
    desk.goto("/personnel/")
    desk.get_by_role(
        "link", name="Vie privée : fermetures de compte et registre des incidents"
    ).click()
    expect(desk.get_by_role("heading", name="Vie privée", level=1)).to_be_visible()
    both_widths(desk)
    desk.get_by_role("row").filter(has_text="Ouimet-Zhang").get_by_role("link").click()
    expect(desk.get_by_role("heading", name="Fermeture de compte", level=1)).to_be_visible()
    expect(desk.get_by_role("heading", name="Factures et paiements")).to_be_visible()
    both_widths(desk)
    desk.get_by_label("J'ai vérifié la demande").check()
    desk.get_by_role("button", name="Fermer et anonymiser").click()
    expect(desk.get_by_text("Le compte a été fermé et anonymisé.")).to_be_visible()
    expect(desk.get_by_role("heading", name="Ce qui a été fait")).to_be_visible()
    assert_accessible(desk)
    assert Dossier.objects.get(pk=file.pk).last_name == ""

    page.goto("/mon-dossier/")
    expect(page).to_have_url(re.compile(r"/compte/login/"))


def test_the_officer_records_an_incident_in_the_register(browser, base_url):
    desk = officer_page(browser, base_url)
    desk.goto("/personnel/vie-privee/incidents/")
    expect(
        desk.get_by_role("heading", name="Registre des incidents de confidentialité", level=1)
    ).to_be_visible()
    both_widths(desk)
    desk.get_by_role("link", name="Consigner un incident").click()
    desk.get_by_label("Renseignements personnels visés").fill("Courriels de 12 membres")
    desk.get_by_label("Circonstances de l'incident").fill("Envoi groupé sans copie cachée.")
    desk.get_by_label("Date ou début de l'incident").fill("2026-11-20")
    desk.get_by_label("Date où l'organisation en a pris connaissance").fill("2026-11-20")
    desk.get_by_label("Nombre de personnes concernées").fill("12")
    desk.get_by_label("Évaluation du risque").fill("Faible : adresses seulement.")
    desk.get_by_label("Risque de préjudice sérieux").check()
    desk.get_by_label("Mesures prises pour diminuer le risque").fill("Excuses, rappel.")
    desk.get_by_role("button", name="Enregistrer").click()
    expect(desk.get_by_text("Un risque de préjudice sérieux doit être déclaré")).to_be_visible()
    both_widths(desk)
    desk.get_by_label("Avis à la Commission d'accès à l'information transmis le").fill("2026-11-21")
    desk.get_by_role("button", name="Enregistrer").click()
    expect(desk.get_by_text("L'incident a été consigné au registre.")).to_be_visible()
    expect(desk.get_by_role("cell", name="Courriels de 12 membres")).to_be_visible()
    both_widths(desk)


def test_in_english_and_the_signed_out_unsubscribe_page(page: Page):
    account, file = holder(password=PASSWORD, language="en")
    newsletter = MailingList.objects.create(
        name="Infolettre", name_en="Newsletter", wording="J'accepte.", wording_en="I agree."
    )
    record_consents(file, {newsletter: True}, actor=account)
    page.goto(reverse("unsubscribe", args=[token_for(file, newsletter)]))
    expect(page.get_by_role("heading", name="Se désabonner", level=1)).to_be_visible()
    both_widths(page)
    page.get_by_role("button", name="Me désabonner").click()
    expect(page.get_by_role("heading", name="Vous êtes désabonné", level=1)).to_be_visible()
    both_widths(page)
    assert granted_lists(file) == set()

    sign_in(page, account.email, PASSWORD)  # the account speaks English: pages follow
    page.goto("/mon-dossier/mes-donnees/")
    expect(page.get_by_role("heading", name="My data", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Prepare a copy of my data")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "en-CA"
    both_widths(page)


@pytest.mark.parametrize("slug", ["comaq", "baie-comeau"])
def test_the_privacy_policy_of_each_preset_is_accessible_at_360_px(page: Page, settings, slug):
    settings.GUICHET_PRESET = slug
    page.goto("/")
    page.get_by_role("contentinfo").get_by_role("link", name="Politique de confidentialité").click()
    expect(page.get_by_role("heading", name="Ce que nous recueillons")).to_be_visible()
    both_widths(page)
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="What we collect")).to_be_visible()
    both_widths(page)


def test_the_officer_searches_the_register_of_staff_views(browser, base_url):
    __, file = holder(first_name="Alice", last_name="Fortin")
    staff = AccountFactory(
        is_staff=True, is_superuser=True, first_name="Nadia", last_name="Ouellet"
    )
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    session = Client()
    session.force_login(staff)
    assert session.get(reverse("admin:dossiers_dossier_change", args=[file.pk])).status_code == 200
    desk = officer_page(browser, base_url)
    desk.goto("/personnel/vie-privee/")
    desk.get_by_role("link", name="Registre des consultations par le personnel").click()
    desk.get_by_label("Personne consultée").fill("Fortin")
    desk.get_by_role("button", name="Chercher").click()
    expect(desk.get_by_role("cell", name="Alice Fortin")).to_be_visible()
    expect(desk.get_by_role("cell", name="Nadia Ouellet")).to_be_visible()
    both_widths(desk)

"""« Mon dossier » in a real browser: every section of the menu, then « Mes informations »."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from guichet.dossiers.models import Dossier
from tests.dossiers.factories import DossierLinkFactory
from tests.e2e.test_account_journeys import sign_in
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Une phrase de passe bien longue"

# Menu entry → the page's heading.
SECTIONS = [
    ("Mes informations", "Mes informations"),
    ("Ma fiche", "Ma fiche"),
    ("Mes fonctions", "Mes fonctions"),
    ("Titre et attestations", "Titre et attestations"),
    ("Mes formations", "Mes formations"),
    ("Mes évènements", "Mes évènements"),
    ("Mes factures et crédits", "Mes factures et crédits"),
    ("Mes abonnements", "Mes abonnements"),
    ("Mes intérêts", "Mes intérêts"),
    ("Activité de mon dossier", "Activité de mon dossier"),
    ("Mon mot de passe", "Mon mot de passe et sécurité"),
]


def menu(page: Page):
    return page.get_by_role("navigation", name="Sections de mon dossier")


def test_walk_every_section_then_correct_my_postal_code(page: Page):
    link = DossierLinkFactory(
        account__password=PASSWORD, account__first_name="Geneviève", dossier__number="00875"
    )
    sign_in(page, link.account.email, PASSWORD)
    expect(page.get_by_role("heading", name="Mon dossier", level=1)).to_be_visible()
    expect(page.get_by_text("00875")).to_be_visible()
    assert_accessible(page)

    for entry, heading in SECTIONS:
        page.goto("/mon-dossier/")
        menu(page).get_by_role("link", name=entry, exact=True).click()
        expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
        if entry != "Mon mot de passe":
            current = menu(page).locator("[aria-current=page]")
            expect(current).to_have_text(entry)
        assert_accessible(page)

    page.goto("/mon-dossier/")
    family = menu(page).get_by_role("link", name="Ma famille", exact=True)
    if family.count():  # the household page is built alongside this one
        family.click()
        assert_accessible(page)

    page.goto("/mon-dossier/")
    menu(page).get_by_role("link", name="Mes informations", exact=True).click()
    home = page.get_by_role("group", name="Adresse personnelle", exact=True)
    home.get_by_label("Adresse", exact=True).fill("45, rue des Érables")
    home.get_by_label("Code postal").fill("12345")
    page.get_by_role("button", name="Modifier").click()
    expect(page.get_by_text("Entrez un code postal canadien, par exemple H2X 1Y4.")).to_be_visible()
    home = page.get_by_role("group", name="Adresse personnelle", exact=True)
    expect(home.get_by_label("Code postal")).to_have_value("12345")
    expect(home.get_by_label("Adresse", exact=True)).to_have_value("45, rue des Érables")
    expect(home.get_by_label("Code postal")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    home.get_by_label("Code postal").fill("g4z1b2")
    page.get_by_role("button", name="Modifier").click()
    expect(page.get_by_text("Vos informations ont été enregistrées.")).to_be_visible()
    home = page.get_by_role("group", name="Adresse personnelle", exact=True)
    expect(home.get_by_label("Code postal")).to_have_value("G4Z 1B2")
    assert_accessible(page)
    dossier = Dossier.objects.get(pk=link.dossier.pk)
    assert (dossier.home_street, dossier.home_postal_code) == ("45, rue des Érables", "G4Z 1B2")

    page.get_by_role("link", name="Demander une modification").click()
    expect(page).to_have_url(re.compile(r"/demandes/modification/\d+/$"))


def test_my_file_fits_a_360_pixel_screen(page: Page):
    link = DossierLinkFactory(account__password=PASSWORD)
    page.set_viewport_size({"width": 360, "height": 800})
    sign_in(page, link.account.email, PASSWORD)
    for path in ["/mon-dossier/", "/mon-dossier/mes-informations/", "/mon-dossier/mes-fonctions/"]:
        page.goto(path)
        assert_accessible(page)
        assert_no_horizontal_scroll(page)


def test_emptying_the_home_address_a_city_needs_is_refused_beside_the_field(page: Page, settings):
    settings.GUICHET_PRESET = "baie-comeau"
    link = DossierLinkFactory(account__password=PASSWORD, dossier__is_resident=True)
    sign_in(page, link.account.email, PASSWORD)
    page.goto("/mon-dossier/mes-informations/")
    home = page.get_by_role("group", name="Adresse personnelle", exact=True)
    home.get_by_label("Adresse", exact=True).fill("")
    page.get_by_role("group", name="Téléphones").get_by_label("Téléphone à la maison").fill("")
    page.get_by_role("button", name="Modifier").click()

    home = page.get_by_role("group", name="Adresse personnelle", exact=True)
    street = home.get_by_label("Adresse", exact=True)
    expect(street).to_have_attribute("aria-invalid", "true")
    expect(street).to_have_accessible_description(
        re.compile("Obligatoire : nous avons besoin de votre adresse personnelle.")
    )
    phone = page.get_by_label("Téléphone à la maison")
    expect(phone).to_have_accessible_description(
        re.compile("Indiquez au moins un numéro de téléphone.")
    )
    assert_accessible(page)
    assert Dossier.objects.get(pk=link.dossier.pk).home_street == "123, rue Principale"

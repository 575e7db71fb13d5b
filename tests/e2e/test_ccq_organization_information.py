"""Guide 003, catalog « Profil », category « Dossier client »: « Modifier les informations
d'une organisation » in a real browser, by its labels, for a contact with « Profil » in
write; at 360 px too."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from guichet.dossiers.models import DossierLink, LinkMethod, LinkRole
from guichet.organizations.models import RelationType
from tests.dossiers.factories import DossierFactory
from tests.e2e.test_account_journeys import sign_in
from tests.organizations.cast import organization, relate
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "Modifier les informations d'une organisation"


def test_a_leader_with_profile_in_write_changes_the_organizations_information(
    page: Page, settings, account, password, mailbox
):
    settings.GUICHET_PRESET = "ccq"
    local = organization("Syndicat local 1234", email="local@exemple.ca", work_phone="")
    person = DossierFactory(
        first_name=account.first_name, last_name=account.last_name, email=account.email
    )
    DossierLink.objects.create(
        account=account, dossier=person, role=LinkRole.HOLDER, method=LinkMethod.STAFF
    )
    relate(person, local, RelationType.LEADER, {"profil": "write"})

    sign_in(page, account.email, password)
    page.goto("/organisation/profil/")
    page.get_by_label("Syndicat local 1234").check()
    page.get_by_role("button", name="Agir pour ce profil").click()
    page.get_by_role("link", name="Catalogue de services").click()
    page.get_by_role("link", name="Profil", exact=True).click()
    page.get_by_role("link", name="Dossier client", exact=True).click()
    tile = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=TITLE))
    tile.get_by_text("Afficher les détails").click()
    tile.get_by_role("link", name=re.compile("^Modifier")).click()
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Adresse", exact=True).fill("100, rue Principale")
    page.get_by_label("Ville").fill("Laval")
    page.get_by_label("Code postal").fill("H7N 1A1")
    page.get_by_role("group", name="Type du numéro de téléphone principal").get_by_role(
        "combobox"
    ).select_option(label="Travail")
    page.get_by_label("Numéro de téléphone principal").fill("450 555-0123")
    page.get_by_text("Ajouter un autre numéro de téléphone").click()
    page.get_by_role("group", name="Type de l'autre numéro de téléphone").get_by_role(
        "combobox"
    ).select_option(label="Cellulaire")
    page.get_by_label("Autre numéro de téléphone").fill("514 555-0177")
    page.get_by_label("J'atteste que les modifications demandées sont exactes").check()
    page.get_by_role("button", name="Soumettre").click()
    expect(page.get_by_text("Votre demande a été soumise et appliquée.")).to_be_visible()
    assert_accessible(page)
    local.refresh_from_db()
    assert (local.work_street, local.work_phone, local.mobile_phone) == (
        "100, rue Principale",
        "450 555-0123",
        "514 555-0177",
    )
    assert mailbox.wait_for("local@exemple.ca", "Les informations de Syndicat local 1234")

    page.set_viewport_size({"width": 360, "height": 800})
    page.goto("/organisation/catalogue/modifier-une-organisation/")
    expect(page.get_by_text("Valeur actuelle : Laval")).to_be_visible()
    assert_no_horizontal_scroll(page)

"""A staff agent imports a file in the browser: dry run, report, import, progress page."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from playwright.sync_api import Page, expect

from guichet.dossiers.models import Dossier, DossierImport, ImportStatus
from tests.e2e.test_account_journeys import sign_in
from tests.e2e.test_two_factor import current_code
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
CSV = (
    "numero;prenom;nom;date_naissance;courriel\n"
    "10001;Marie;Tremblay;1982/04/17;marie@exemple.ca\n"
    "10002;Jean;Gagnon;11/30/1975;jean@exemple.ca\n"
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def sign_in_as_staff(page: Page, staff, password: str) -> None:
    TOTP.activate(staff, SECRET)  # stored encrypted, as allauth stores it
    sign_in(page, staff.email, password)
    expect(page).to_have_url(re.compile(r"/2fa/authenticate/"))
    page.get_by_label("Code").fill(current_code(SECRET))
    page.get_by_role("button", name="Connexion", exact=True).click()


def test_staff_checks_then_imports_a_file(page: Page, staff, password, tmp_path):
    sign_in_as_staff(page, staff, password)
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto("/mon-dossier/personnel/import/")
    expect(page.get_by_role("heading", name="Importer des dossiers")).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    upload = tmp_path / "dossiers.csv"
    upload.write_text(CSV, encoding="utf-8")
    page.get_by_label("Fichier à importer (CSV ou XLSX)").set_input_files(upload)
    page.get_by_role("button", name="Vérifier le fichier").click()
    expect(page.get_by_role("heading", name="Essai à blanc de dossiers.csv")).to_be_visible()
    refused = page.get_by_role("table", name="Lignes refusées")
    expect(refused.get_by_role("row").nth(1)).to_contain_text("3")
    expect(refused).to_contain_text("Date de naissance invalide")
    assert not Dossier.objects.exists()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    page.get_by_role("button", name="Lancer l'importation").click()
    expect(page.get_by_text("Importation terminée.")).to_be_visible()
    assert list(Dossier.objects.values_list("number", flat=True)) == ["10001"]
    assert_accessible(page)


def test_progress_page_is_accessible_and_polls(page: Page, staff, password):
    running = DossierImport.objects.create(
        file="imports/absent.csv",
        original_name="gros.csv",
        dry_run=False,
        status=ImportStatus.RUNNING,
        total_rows=100000,
        processed_rows=52000,
    )
    sign_in_as_staff(page, staff, password)
    page.goto(f"/mon-dossier/personnel/import/{running.pk}/")
    bar = page.get_by_role("progressbar", name="Importation des lignes")
    expect(bar).to_have_attribute("value", "52")
    expect(page.get_by_role("status")).to_contain_text("52 % (52000 sur 100000 lignes)")
    assert_accessible(page)
    # The page asks for the progress every second and shows it without reloading.
    DossierImport.objects.filter(pk=running.pk).update(processed_rows=76000)
    expect(page.get_by_role("status")).to_contain_text("76 % (76000 sur 100000 lignes)")
    expect(bar).to_have_attribute("value", "76")
    # Once done, the page reloads to show the report.
    DossierImport.objects.filter(pk=running.pk).update(
        processed_rows=100000, status=ImportStatus.DONE, created_count=100000
    )
    expect(page.get_by_text("Importation terminée.")).to_be_visible()

"""COMAQ's guide, end to end in a browser: a newcomer creates a participant file in 5
steps and signs in; a participant becomes a member in 7 steps with two PDFs, staff ask
for one more document, then approve; the fee is paid by card (demo provider)."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from guichet.billing.models import Invoice
from guichet.dossiers.models import Dossier, DossierLink
from guichet.memberships.models import Application, ApplicationStatus, MembershipStatus
from tests.dossiers.factories import DossierFactory, DossierLinkFactory
from tests.e2e.test_account_journeys import sign_in
from tests.e2e.test_billing_payments import at_360, staff_page
from tests.factories import AccountFactory
from tests.memberships.cast import applied, member_types, real_pdf
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Officier-Municipal-2027!"  # COMAQ's rule: upper, lower, digit, special


@pytest.fixture(autouse=True)
def _comaq(settings, tmp_path):
    settings.GUICHET_PRESET = "comaq"
    settings.GUICHET_PAYMENT_PROVIDER = "demo"
    settings.GUICHET_STRIPE_WEBHOOK_SECRET = ""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


def next_step(page: Page) -> None:
    page.get_by_role("button", name="Suivant").click()


def fill_general(page: Page, first: str, last: str, born: str, email: str) -> None:
    page.get_by_label("Prénom").fill(first)
    page.get_by_label("Nom", exact=True).fill(last)
    page.get_by_label("Date de naissance").fill(born)
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Téléphone").fill("418 555-0199")


def fill_address(page: Page) -> None:
    page.get_by_label("Adresse").fill("12, rue Saint-Jean")
    page.get_by_label("Ville").fill("Québec")
    page.get_by_label("Code postal").fill("G1R 1N4")


def fill_function(page: Page) -> None:
    page.get_by_label("Titre de la fonction").fill("Directrice générale")
    page.get_by_label("Employeur").fill("Municipalité de Saint-Ours")
    page.get_by_label("Date de début").fill("2021-04-01")


def test_newcomer_creates_a_participant_file_in_five_steps_and_signs_in(page: Page, mailbox):
    page.goto("/adhesion/")
    page.get_by_role("link", name="Créer votre dossier de participant").click()
    expect(page.get_by_role("heading", name="Créer votre dossier de participant")).to_be_visible()
    expect(page.get_by_text("Étape 1 sur 5 : Informations générales")).to_be_visible()
    for label in ("Adresse", "Mes fonctions", "Informations supplémentaires", "Identifiant"):
        expect(page.get_by_role("listitem").filter(has_text=label)).to_have_count(1)
    assert_accessible(page)
    fill_general(page, "Annie", "Bergeron", "1985-06-15", "annie.bergeron@exemple.ca")
    next_step(page)

    expect(page.get_by_text("Étape 2 sur 5 : Adresse")).to_be_visible()
    page.get_by_label("Adresse").fill("12, rue Saint-Jean")
    # « Précédent » keeps what was typed, on both steps.
    page.get_by_role("button", name="Précédent").click()
    expect(page.get_by_label("Prénom")).to_have_value("Annie")
    next_step(page)
    expect(page.get_by_label("Adresse")).to_have_value("12, rue Saint-Jean")
    fill_address(page)
    next_step(page)

    expect(page.get_by_text("Étape 3 sur 5 : Mes fonctions")).to_be_visible()
    fill_function(page)
    next_step(page)
    expect(page.get_by_text("Étape 4 sur 5 : Informations supplémentaires")).to_be_visible()
    page.get_by_label("Expertises exceptionnelles").fill("Urbanisme")
    next_step(page)

    expect(page.get_by_text("Étape 5 sur 5 : Identifiant")).to_be_visible()
    assert_accessible(page)
    at_360(page)
    expect(page.get_by_label("Courriel", exact=True)).to_have_value("annie.bergeron@exemple.ca")
    page.get_by_label("Confirmer votre courriel").fill("annie.bergeron@exemple.ca")
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_label("Confirmer le mot de passe").fill(PASSWORD)
    page.get_by_label("J'ai lu et j'accepte").check()
    page.get_by_role("button", name="Créer mon dossier").click()
    expect(page.get_by_role("heading", name="Confirmez votre adresse courriel")).to_be_visible()

    dossier = Dossier.objects.get(last_name="Bergeron")
    assert dossier.birth_date.isoformat() == "1985-06-15"
    assert dossier.functions.get().employer == "Municipalité de Saint-Ours"
    assert DossierLink.objects.get(dossier=dossier).account.email == "annie.bergeron@exemple.ca"

    message = mailbox.wait_for("annie.bergeron@exemple.ca", "Confirmez")
    link = next(x for x in mailbox.links(message) if "/confirm-email/" in x)
    page.goto(link)
    page.get_by_role("button", name="Confirmation de mon adresse courriel").click()
    sign_in(page, "annie.bergeron@exemple.ca", PASSWORD)
    expect(page.get_by_text(dossier.number)).to_be_visible()

    # The same person again: never a second file, an offer to link instead.
    page.context.clear_cookies()
    page.goto("/adhesion/dossier-de-participant/1/")
    fill_general(page, "annie", "BERGERON", "1985-06-15", "Annie.Bergeron@exemple.ca")
    next_step(page)
    expect(page.get_by_role("heading", name="Vous avez déjà un dossier")).to_be_visible()
    assert Dossier.objects.filter(last_name__iexact="bergeron").count() == 1


def test_participant_becomes_a_member_in_seven_steps_staff_ask_more_then_approve_fee_by_card(
    page: Page, browser, base_url, mailbox, tmp_path
):
    types = member_types()
    regular = types["membre-regulier"]
    account = AccountFactory(
        password=PASSWORD, first_name="Luc", last_name="Paradis", email="luc.paradis@exemple.ca"
    )
    dossier = DossierFactory(
        first_name="Luc", last_name="Paradis", email=account.email, home_street="1, rue A"
    )
    DossierLinkFactory(account=account, dossier=dossier, role="holder")
    resolution = tmp_path / "resolution.pdf"
    resolution.write_bytes(real_pdf(2))
    diploma = tmp_path / "diplome.pdf"
    diploma.write_bytes(real_pdf(1))
    fake = tmp_path / "diplome-faux.pdf"
    fake.write_bytes(b"<html><body>pas un PDF</body></html>")

    sign_in(page, account.email, PASSWORD)
    page.goto("/mon-dossier/")
    page.get_by_role("link", name="Devenir membre").first.click()
    expect(page.get_by_text("Utilisateur du site")).to_be_visible()
    expect(page.get_by_text("Pas encore membre")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Devenir membre").last.click()

    expect(page.get_by_text("Étape 1 sur 7 : Membership")).to_be_visible()
    page.get_by_label("Membre régulier").check()
    next_step(page)
    expect(page.get_by_text("Étape 2 sur 7 : Informations générales")).to_be_visible()
    expect(page.get_by_label("Prénom")).to_have_value("Luc")  # prefilled from the file
    expect(page.get_by_label("Prénom")).to_be_disabled()
    next_step(page)
    fill_address(page)
    next_step(page)
    expect(page.get_by_text("Étape 4 sur 7 : Mes fonctions")).to_be_visible()
    fill_function(page)
    page.get_by_label("Résolution d'embauche (PDF)").set_input_files(str(resolution))
    next_step(page)
    expect(page.get_by_text("Étape 5 sur 7 : Mes diplômes")).to_be_visible()
    page.get_by_label("Copie de diplôme (PDF)", exact=False).first.set_input_files(str(fake))
    next_step(page)
    expect(page.get_by_text("n'est pas un document PDF")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Copie de diplôme (PDF)", exact=False).first.set_input_files(str(diploma))
    next_step(page)
    expect(page.get_by_text("Étape 6 sur 7 : Informations supplémentaires")).to_be_visible()
    page.get_by_role("button", name="Précédent").click()  # the diploma stays joined
    expect(page.get_by_text("Déjà joint : diplome.pdf")).to_be_visible()
    next_step(page)
    next_step(page)
    expect(page.get_by_text("Étape 7 sur 7 : Identifiant")).to_be_visible()
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.get_by_role("heading", name="Demande d'adhésion")).to_be_visible()
    expect(page.get_by_text("En cours d'examen par notre personnel")).to_be_visible()
    application = Application.objects.get(dossier=dossier)
    assert application.documents.count() == 2
    assert application.member_type == regular

    staff = AccountFactory(password=PASSWORD, is_staff=True, is_superuser=True)
    desk = staff_page(browser, base_url, staff)
    desk.goto("/personnel/")
    desk.get_by_role("link", name="Demandes d'adhésion à traiter").click()
    desk.get_by_role("link", name="Luc Paradis").click()
    assert_accessible(desk)
    desk.get_by_label("Message à la personne").fill("Ajoutez votre attestation d'emploi.")
    desk.get_by_role("button", name="Demander d'autres documents").click()
    expect(desk.get_by_text("D'autres documents ont été demandés")).to_be_visible()

    message = mailbox.wait_for(account.email, "documents à ajouter")
    assert "Ajoutez votre attestation d'emploi." in mailbox.body(message)
    link = next(x for x in mailbox.links(message) if "/adhesion/demandes/" in x)
    page.goto(urlsplit(link).path)
    expect(page.get_by_text("Documents demandés")).to_be_visible()
    extra = tmp_path / "attestation.pdf"
    extra.write_bytes(real_pdf(1))
    page.get_by_label("Document (PDF)", exact=True).set_input_files(str(extra))
    page.get_by_role("button", name="Ajouter mes documents").click()
    expect(page.get_by_text("Vos documents ont été ajoutés")).to_be_visible()
    assert_accessible(page)
    page.goto("/demandes/")
    page.get_by_role("link", name="Mes demandes d'adhésion").click()
    expect(page.get_by_role("cell", name="En cours d'examen par notre personnel")).to_be_visible()

    desk.goto(f"/adhesion/personnel/{application.pk}/")
    expect(desk.get_by_role("link", name="attestation.pdf")).to_be_visible()
    desk.get_by_role("button", name="Approuver").click()
    expect(desk.get_by_text("Demande approuvée")).to_be_visible()
    desk.context.close()

    invoice = Invoice.objects.get(payer_account=account)
    assert invoice.total == Decimal("395.00")
    page.goto("/adhesion/")
    page.get_by_role("link", name="Payer la cotisation").click()
    expect(page.get_by_role("link", name="Adhésion : Membre régulier")).to_be_visible()
    page.get_by_role("button", name="Payer maintenant").click()
    expect(page.get_by_role("heading", name="Page de paiement de démonstration")).to_be_visible()
    page.get_by_role("button", name="Payer", exact=True).click()
    expect(page.get_by_role("heading", name="Paiement reçu")).to_be_visible()

    page.goto("/adhesion/")
    expect(page.get_by_text("Membre", exact=True)).to_be_visible()
    expect(page.get_by_text("Membre régulier")).to_be_visible()
    assert_accessible(page)
    at_360(page)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert application.membership.status == MembershipStatus.ACTIVE
    mailbox.wait_for(account.email, "Bienvenue")


def test_membership_pages_are_accessible_at_360_px_and_in_english(page: Page, browser, base_url):
    types = member_types()
    account = AccountFactory(password=PASSWORD, email="pages@exemple.ca")
    dossier = DossierFactory(first_name=account.first_name, last_name=account.last_name)
    DossierLinkFactory(account=account, dossier=dossier, role="holder")
    application = applied(account, dossier, types["membre-retraite"])
    public = ["/adhesion/", "/adhesion/dossier-de-participant/1/", "/adhesion/formulaire/1/"]
    private = ["/adhesion/", "/adhesion/demandes/", f"/adhesion/demandes/{application.pk}/"]
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        for path in public:
            page.goto(path)
            assert_accessible(page)
            assert_no_horizontal_scroll(page)
    sign_in(page, account.email, PASSWORD)
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        for path in private:
            page.goto(path)
            assert_accessible(page)
            assert_no_horizontal_scroll(page)
    page.get_by_role("button", name="English").click()
    page.goto("/adhesion/")
    assert page.locator("html").get_attribute("lang") == "en-CA"
    expect(page.get_by_text("Not a member yet")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/adhesion/demandes/{application.pk}/")
    expect(page.get_by_text("Being reviewed by our staff")).to_be_visible()

    staff = AccountFactory(password=PASSWORD, is_staff=True, is_superuser=True)
    desk = staff_page(browser, base_url, staff)
    for width in (360, 1280):
        desk.set_viewport_size({"width": width, "height": 800})
        for path in ("/adhesion/personnel/", f"/adhesion/personnel/{application.pk}/"):
            desk.goto(path)
            assert_accessible(desk)
            assert_no_horizontal_scroll(desk)
    desk.context.close()

"""The back office's people pages in a real browser, each as its role: an activity leader
takes a day camp's attendance on a 360 px phone; a counter clerk finds a resident,
registers her child and records a debit payment; a role without the right gets 404.
axe-core on each page, at 360 px nothing scrolls sideways."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from guichet.accounts.models import StaffRole
from guichet.backoffice.models import OfferingLeader
from guichet.billing.models import Payment
from guichet.registrations.models import Registration, RegistrationStatus
from tests.backoffice.people.support import day_camp, family_child
from tests.catalog.factories import OfferingFactory
from tests.dossiers.factories import ChildDossierFactory, DossierFactory, DossierLinkFactory
from tests.factories import AccountFactory
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def staff_page(browser: Browser, base_url: str, *roles: str, width: int = 1280) -> Page:
    account = AccountFactory(is_staff=True)
    for role in roles:
        StaffRole.objects.create(account=account, role=role)
    Authenticator.objects.create(user=account, type=Authenticator.Type.TOTP, data={"secret": "x"})
    session = Client()
    session.force_login(account)
    context = browser.new_context(
        base_url=base_url, locale="fr-CA", viewport={"width": width, "height": 800}
    )
    context.set_default_timeout(15_000)
    context.add_cookies(
        [{"name": "sessionid", "value": session.cookies["sessionid"].value, "url": base_url}]
    )
    page = context.new_page()
    page.account = account  # type: ignore[attr-defined]
    return page


def checked(page: Page) -> None:
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def test_an_animator_takes_attendance_for_a_day_camp_on_a_phone(browser, base_url):
    camp = day_camp(title="Camp de jour des Explorateurs")
    lea = family_child(camp, first_name="Léa")
    thomas = family_child(camp, first_name="Thomas")
    page = staff_page(browser, base_url, "animation", width=360)
    OfferingLeader.objects.create(offering=camp, account=page.account)  # type: ignore[attr-defined]

    page.goto("/personnel/")
    checked(page)
    page.get_by_role("link", name="Listes des participants et présences").click()
    checked(page)
    page.get_by_role("link", name="Camp de jour des Explorateurs").click()
    expect(page.get_by_role("rowheader", name="Léa Tremblay")).to_be_visible()
    checked(page)
    page.get_by_role("link", name="Afficher les réponses aux questions").click()
    expect(page.get_by_role("cell", name="Arachides").first).to_be_visible()
    checked(page)
    page.go_back()
    page.get_by_role("link", name="Prendre les présences").click()
    checked(page)

    button = page.get_by_role("button", name="Léa Tremblay")
    box = button.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 300
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_text("1 présent sur 2.")).to_be_visible()
    checked(page)
    # Without the script (a slow phone that never loaded it), the plain form still works.
    page.context.route("**/attendance.js", lambda route: route.abort())
    page.reload()
    page.get_by_role("button", name="Thomas Tremblay").click()
    expect(page.get_by_role("button", name="Thomas Tremblay")).to_have_attribute(
        "aria-pressed", "true"
    )
    assert dict(Registration.objects.values_list("pk", "attended")) == {
        lea.pk: True,
        thomas.pk: True,
    }


def test_a_counter_clerk_registers_a_residents_child_and_records_a_debit_payment(browser, base_url):
    marie = AccountFactory(first_name="Marie", last_name="Tremblay")
    DossierLinkFactory(
        account=marie,
        dossier=DossierFactory(
            first_name="Marie", last_name="Tremblay", number="104523", is_resident=True
        ),
    )
    thomas = ChildDossierFactory(first_name="Thomas", last_name="Tremblay", is_resident=True)
    DossierLinkFactory(account=marie, dossier=thomas, role="guardian")
    swim = OfferingFactory(title="Natation — Junior 3")
    page = staff_page(browser, base_url, "counter", width=360)

    page.goto("/personnel/")
    page.get_by_role("link", name="Accueil : trouver une personne").click()
    checked(page)
    page.get_by_label("Nom, numéro de dossier, téléphone ou courriel").fill("104523")
    page.get_by_role("button", name="Rechercher").click()
    checked(page)
    page.get_by_role("link", name="Inscrire son enfant Thomas Tremblay").click()
    checked(page)
    page.get_by_label("Offre").select_option(str(swim.pk))
    page.get_by_role("button", name="Choisir cette offre").click()
    checked(page)
    page.get_by_role("button", name="Inscrire", exact=True).click()
    expect(page.get_by_text("La facture est prête à être payée.")).to_be_visible()
    checked(page)
    method = page.locator("select[name=method]")
    expect(method).to_have_value("debit")  # the terminal first: the usual way at the desk
    expect(method.locator("option:checked")).to_have_text("Carte de débit (terminal)")
    page.get_by_role("button", name="Enregistrer le paiement").click()
    expect(page.get_by_role("heading", name="Reçu", exact=False)).to_be_visible()
    checked(page)

    registration = Registration.objects.get(participant=thomas)
    assert registration.status == RegistrationStatus.CONFIRMED
    assert Payment.objects.get().method == "debit"


@pytest.mark.parametrize("role", ["accounting", "animation"])
def test_a_role_without_the_right_gets_404(browser, base_url, role):
    camp = day_camp()
    page = staff_page(browser, base_url, role)
    for path in (
        reverse("backoffice:roles"),
        reverse("backoffice:counter"),
        reverse("backoffice:roster", args=[camp.pk]),
        reverse("backoffice:roster_answers", args=[camp.pk]),
        reverse("backoffice:attendance", args=[camp.pk]),
    ):
        response = page.goto(path)
        assert response is not None and response.status == 404, path
    checked(page)


def test_staff_and_roles_page(browser, base_url):
    page = staff_page(browser, base_url, "administration")
    AccountFactory(is_staff=True, first_name="Karine", last_name="Dufour")
    page.goto("/personnel/roles/")
    checked(page)
    page.get_by_role("link", name="Modifier les rôles Karine Dufour").click()
    checked(page)
    page.get_by_label("Accueil").check()
    page.get_by_role("button", name="Enregistrer les rôles").click()
    expect(page.get_by_role("cell", name="Accueil")).to_be_visible()
    page.set_viewport_size({"width": 360, "height": 800})
    checked(page)

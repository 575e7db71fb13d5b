"""The Content-Security-Policy in a real browser: every page is served with it and nothing
on the main pages is refused by it (signed out, signed in, staff, the admin, passkeys,
the card payment), and the scripts that were inline still do their work."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from allauth.mfa.models import Authenticator
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, Response, expect

from guichet.billing.models import Invoice
from tests.billing.cast import holder, invoiced
from tests.e2e.test_account_journeys import sign_in
from tests.e2e.test_every_page import PRIVATE, PUBLIC
from tests.e2e.test_passkeys import virtual_authenticator
from tests.registrations.engine_support import make_offering, make_person

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Installed before any page script runs (Playwright's init scripts are not subject to the
# page's policy), so a refusal during loading is heard too.
LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.reportPolicyViolation(
    `${location.pathname}: ${e.effectiveDirective} refused ${e.blockedURI || "inline code"}`
    + ` (${e.sourceFile || "page"}:${e.lineNumber}) ${e.sample || ""}`
  );
});
"""


class PolicyWatch:
    """What the browser refused or failed on, and every page served without a policy."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.problems: list[str] = []
        self.documents = 0
        page.expose_function("reportPolicyViolation", self._violation)
        page.add_init_script(LISTENER)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"{page.url}: uncaught {error}"))
        page.on("response", self._response)

    def _violation(self, text: str) -> None:
        self.problems.append(text)

    def _console(self, message) -> None:
        text = message.text
        if "Content Security Policy" in text or "Permissions-Policy" in text:
            self.problems.append(f"{self.page.url}: console {message.type}: {text}")

    def _response(self, response: Response) -> None:
        request = response.request
        if not request.is_navigation_request() or response.frame != self.page.main_frame:
            return
        self.documents += 1
        headers = response.headers
        policy = headers.get("content-security-policy", "")
        if not policy or "unsafe-inline" in policy:
            self.problems.append(f"{response.url} ({response.status}) policy: {policy!r}")
        if not headers.get("permissions-policy"):
            self.problems.append(f"{response.url} ({response.status}) no Permissions-Policy")

    def visit(self, path: str) -> None:
        self.page.goto(path)
        self.page.wait_for_load_state("load")

    def assert_clean(self) -> None:
        self.page.wait_for_timeout(200)  # violations are reported asynchronously
        assert self.documents, "no page was loaded"
        assert not self.problems, "\n".join(self.problems)


@pytest.fixture
def watch(page: Page) -> PolicyWatch:
    return PolicyWatch(page)


def test_signed_out_pages_run_under_the_policy(page: Page, watch: PolicyWatch):
    later = make_offering(
        title="Hockey mineur", registration_opens_at=timezone.now() + datetime.timedelta(hours=2)
    )
    for path in [*PUBLIC, "/catalogue/", "/nulle-part/"]:
        watch.visit(path)
    # The ALTCHA widget's script solves its challenge under the policy.
    watch.visit("/compte/signup/")
    expect(page.get_by_text("Vérification terminée")).to_be_visible()
    # The catalog's countdown shows itself and counts.
    watch.visit(f"/catalogue/{later.slug}/")
    expect(page.get_by_role("timer")).to_contain_text("Ouverture dans")
    watch.assert_clean()


def test_signed_in_pages_run_under_the_policy(page: Page, watch: PolicyWatch, account, password):
    from tests.dossiers.factories import DossierLinkFactory

    DossierLinkFactory(account=account, dossier__first_name=account.first_name)
    sign_in(page, account.email, password)
    for path in PRIVATE:
        watch.visit(path)
    # The authenticator app's QR code is a data: image.
    watch.visit("/compte/2fa/totp/activate/")
    page.get_by_label("Mot de passe").fill(password)  # asked again first
    page.get_by_role("button", name="Confirmer").click()
    qr = page.get_by_role("img").first
    expect(qr).to_be_visible()
    assert qr.evaluate("image => image.complete && image.naturalWidth > 0")
    watch.assert_clean()


def test_staff_pages_and_the_admin_run_under_the_policy(
    page: Page, watch: PolicyWatch, staff, base_url
):
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    make_offering(title="Aquaforme")
    _account, dossier = make_person()
    session = Client()
    session.force_login(staff)  # signed in with the second factor already given
    page.context.add_cookies(
        [{"name": "sessionid", "value": session.cookies["sessionid"].value, "url": base_url}]
    )
    for path in [
        "/personnel/",
        "/personnel/journal/",
        "/demandes/personnel/",
        "/mon-dossier/personnel/import/",
        "/mon-dossier/personnel/code-de-liaison/",
        "/admin/",
        "/admin/dossiers/dossier/",
        f"/admin/dossiers/dossier/{dossier.pk}/change/",
        "/admin/catalog/offering/",
        "/admin/audit/auditevent/",
        "/admin/catalog/offering/add/",
    ]:
        watch.visit(path)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ajout")
    # The admin's own scripts work: the date shortcuts open the calendar.
    page.get_by_role("link", name="Choisir une date").first.click()
    expect(page.locator(".calendarbox").first).to_be_visible()
    watch.assert_clean()


def test_passkey_pages_run_under_the_policy(page: Page, watch: PolicyWatch, account, password):
    virtual_authenticator(page)
    sign_in(page, account.email, password)
    watch.visit("/compte/2fa/webauthn/add/")
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Confirmer").click()
    page.get_by_label("Sans mot de passe").check()
    page.get_by_role("button", name="Ajouter", exact=True).click()
    expect(page.get_by_text("Codes de récupération").first).to_be_visible()
    page.get_by_role("button", name="Déconnexion").click()
    watch.visit("/compte/login/")
    page.get_by_role("button", name="Se connecter avec une clé d'accès").click()
    expect(page.get_by_role("heading", name="Activez votre dossier")).to_be_visible()
    watch.assert_clean()


def test_demo_card_payment_runs_under_the_policy(
    page: Page, watch: PolicyWatch, settings, password
):
    settings.GUICHET_PAYMENT_PROVIDER = "demo"
    account, dossier = holder(password=password)
    _registration, invoice = invoiced(account, dossier, non_member_price=Decimal("50.00"))
    sign_in(page, account.email, password)
    # Before the provider confirms, the return page reloads itself (its script is a file).
    loads_before = watch.documents
    watch.visit(reverse("billing:checkout_return", args=[invoice.pk]))
    expect(page.get_by_role("heading", name="Paiement en cours de confirmation")).to_be_visible()
    page.wait_for_timeout(4_000)
    assert watch.documents >= loads_before + 2, "the return page did not refresh itself"

    watch.visit(reverse("billing:invoice", args=[invoice.pk]))
    page.get_by_role("button", name="Payer maintenant").click()
    expect(page.get_by_role("heading", name="Page de paiement de démonstration")).to_be_visible()
    page.get_by_role("button", name="Payer", exact=True).click()
    expect(page.get_by_role("heading", name="Paiement reçu")).to_be_visible()
    assert Invoice.objects.get(pk=invoice.pk).status == "paid"
    watch.assert_clean()


def test_go_back_from_the_busy_page_works_under_the_policy(
    page: Page, watch: PolicyWatch, password, monkeypatch
):
    account, _dossier = make_person(password=password, first_name="Émilie", last_name="Roy")
    offering = make_offering(title="Aquaforme")

    def saturated(**kwargs):
        raise OperationalError("could not obtain lock")

    monkeypatch.setattr("guichet.registrations.views.start.submit_cart", saturated)
    sign_in(page, account.email, password)
    watch.visit(f"/inscriptions/s-inscrire/{offering.slug}/")
    page.get_by_label("Émilie Roy", exact=False).check()
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_role("heading", name="Vérifier et soumettre")).to_be_visible()
    page.get_by_role("button", name="Soumettre l'inscription").click()
    expect(page.get_by_role("heading", name="Trop de monde en même temps")).to_be_visible()
    page.get_by_role("link", name="Revenir en arrière").click()
    expect(page.get_by_role("heading", name="Vérifier et soumettre")).to_be_visible()
    watch.assert_clean()

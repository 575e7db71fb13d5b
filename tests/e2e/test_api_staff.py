"""« API et webhooks » for staff in a real browser: a key made with its scopes, addresses
and expiry, its token shown once and working against the API, then revoked; an
endpoint's deliveries and « Envoyer de nouveau ». axe-clean, at 1280 and 360 px, in
French and English."""

from __future__ import annotations

import datetime

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from guichet.accounts.models import StaffRole
from guichet.api.models import (
    ApiKey,
    DeliveryAttempt,
    DeliveryStatus,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookMessage,
)
from guichet.api.webhooks.delivery import new_secret
from guichet.core.roles import Role
from tests.api.support import ApiClient
from tests.factories import AccountFactory
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def desk(browser, base_url: str, language: str) -> Page:
    staff = AccountFactory(is_staff=True, language=language)
    StaffRole.objects.create(account=staff, role=Role.ADMINISTRATION)
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    session = Client()
    session.force_login(staff)
    context = browser.new_context(base_url=base_url, locale=f"{language}-CA")
    context.set_default_timeout(15_000)
    context.add_cookies(
        [{"name": "sessionid", "value": session.cookies["sessionid"].value, "url": base_url}]
    )
    return context.new_page()


def check_layout(page: Page) -> None:
    assert_accessible(page)
    page.set_viewport_size({"width": 360, "height": 800})
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_staff_make_a_key_revoke_it_and_send_a_delivery_again(browser, base_url, account):
    page = desk(browser, base_url, "fr")
    page.goto("/personnel/")
    page.get_by_role("link", name="API et webhooks").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API et webhooks")
    check_layout(page)
    page.get_by_role("link", name="Créer une clé").click()
    check_layout(page)
    page.get_by_label("Nom de la clé").fill("Logiciel comptable")
    page.get_by_label("Agit comme (le courriel du compte)").fill(account.email)
    page.get_by_role("checkbox", name="Activités et séances : lecture", exact=True).check()
    page.get_by_label("Adresses permises").fill("pas une adresse")
    expiry = timezone.localdate() + datetime.timedelta(days=30)
    page.get_by_label("Expire le").fill(expiry.isoformat())
    page.get_by_role("button", name="Créer la clé").click()
    # Refused in French beside the field, nothing typed lost.
    expect(page.get_by_text("Saisissez une adresse ou un réseau par ligne")).to_be_visible()
    expect(page.get_by_label("Nom de la clé")).to_have_value("Logiciel comptable")
    assert not ApiKey.objects.exists()
    check_layout(page)
    page.get_by_label("Adresses permises").fill("127.0.0.1")
    page.get_by_role("button", name="Créer la clé").click()
    token = page.locator("#token").inner_text()
    assert token.startswith("gk_")
    check_layout(page)
    assert ApiClient(token).get("/api/v1/offerings/", remote_addr="127.0.0.1").status_code == 200
    page.get_by_role("link", name="Je l'ai copiée").click()
    expect(page.get_by_text(token)).to_have_count(0)
    page.get_by_role("button", name="Révoquer « Logiciel comptable »").click()
    expect(page.get_by_text("La clé « Logiciel comptable » est révoquée.")).to_be_visible()
    assert ApiClient(token).get("/api/v1/offerings/").status_code == 401

    endpoint = WebhookEndpoint.objects.create(
        url="http://127.0.0.1:9/une-adresse-de-reception-assez-longue/pour-360-px/hooks",
        secret=new_secret(),
        events=["invoice.paid", "registration.created"],
    )
    message = WebhookMessage.objects.create(
        msg_id="msg_1", event_type="invoice.paid", payload={"type": "invoice.paid"}
    )
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, message=message, status=DeliveryStatus.FAILED, attempts=1
    )
    DeliveryAttempt.objects.create(delivery=delivery, status_code=500, duration_ms=12)
    page.reload()
    page.get_by_role("link", name=endpoint.url).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Livraisons de webhook")
    expect(page.get_by_text("HTTP 500")).to_be_visible()
    check_layout(page)
    page.get_by_role("button", name="Envoyer de nouveau").click()
    expect(page.get_by_text("La livraison est envoyée de nouveau.")).to_be_visible()
    delivery.refresh_from_db()
    assert delivery.attempts == 2  # sent again (the port refuses: one more failed attempt)


def test_the_pages_in_english(browser, base_url):
    page = desk(browser, base_url, "en")
    page.goto("/api/personnel/cles/nouvelle/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an API key")
    expect(page.get_by_text("Organizations and relations: read")).to_be_visible()
    check_layout(page)


def test_staff_add_an_endpoint_see_its_secret_once_and_archive_it(browser, base_url):
    page = desk(browser, base_url, "fr")
    page.goto("/api/personnel/")
    page.get_by_role("link", name="Ajouter une destination").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ajouter une destination de webhook")
    check_layout(page)
    page.get_by_label("Adresse (URL)").fill("pas une adresse")
    page.get_by_label("Description").fill("Progiciel de gestion")
    page.get_by_role("checkbox", name="Une facture a été payée (invoice.paid)").check()
    page.get_by_role("button", name="Ajouter la destination").click()
    # Refused in French beside the field, nothing typed lost.
    expect(page.get_by_text("Saisissez une URL valide.")).to_be_visible()
    expect(page.get_by_label("Description")).to_have_value("Progiciel de gestion")
    expect(
        page.get_by_role("checkbox", name="Une facture a été payée (invoice.paid)")
    ).to_be_checked()
    assert not WebhookEndpoint.objects.exists()
    check_layout(page)
    page.get_by_label("Adresse (URL)").fill("https://erp.exemple.ca/guichet/hooks")
    page.get_by_role("button", name="Ajouter la destination").click()
    secret = page.locator("#secret").inner_text()
    assert secret == WebhookEndpoint.objects.get().secret
    check_layout(page)
    page.get_by_role("link", name="J'ai copié le secret").click()
    expect(page.get_by_text(secret)).to_have_count(0)
    page.get_by_role("link", name="https://erp.exemple.ca/guichet/hooks").click()
    expect(page.get_by_text(secret)).to_have_count(0)
    check_layout(page)
    page.get_by_role("button", name="Archiver cette destination").click()
    expect(page.get_by_text("plus rien ne lui est envoyé")).to_be_visible()
    expect(page.get_by_text("Archivée le")).to_be_visible()
    check_layout(page)
    assert WebhookEndpoint.objects.get().archived_at is not None


def test_the_endpoint_form_in_english(browser, base_url):
    page = desk(browser, base_url, "en")
    page.goto("/api/personnel/webhooks/nouvelle/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a webhook endpoint")
    expect(page.get_by_text("An invoice was paid (invoice.paid)")).to_be_visible()
    check_layout(page)

"""« Mon adresse courriel »: the new address typed twice, confirmed by a link, in French."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_account_journeys import link_in, sign_in
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_change_email_asks_the_new_address_twice_then_confirms_by_link(
    page: Page, account, password, mailbox
):
    old = account.email
    sign_in(page, old, password)
    page.goto("/compte/securite/")
    page.get_by_role("link", name="Changer mon adresse courriel").click()
    new_address = page.get_by_label("Nouvelle adresse courriel", exact=True)
    new_address.fill("nouvelle@exemple.ca")
    page.get_by_label("Confirmez la nouvelle adresse courriel").fill("nouvele@exemple.ca")
    page.get_by_role("button", name="Envoyer").click()

    expect(page.get_by_text("Les deux adresses diffèrent")).to_be_visible()
    expect(new_address).to_have_value("nouvelle@exemple.ca")  # nothing typed is lost
    assert_accessible(page)
    page.set_viewport_size({"width": 360, "height": 800})
    assert_no_horizontal_scroll(page)

    page.get_by_label("Confirmez la nouvelle adresse courriel").fill("nouvelle@exemple.ca")
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_role("heading", name="Confirmer l'accès")).to_be_visible()
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_role("button", name="Confirmer").click()
    expect(
        page.get_by_text("Un lien de confirmation a été envoyé à nouvelle@exemple.ca")
    ).to_be_visible()
    assert "e-mail" not in page.content().lower()
    assert_accessible(page)

    page.goto(link_in(mailbox, "nouvelle@exemple.ca", "Confirmez", "/confirm-email/"))
    page.get_by_role("button", name="Confirmation de mon adresse courriel").click()
    expect(page.get_by_text("L'adresse nouvelle@exemple.ca est confirmée.")).to_be_visible()
    told = mailbox.body(mailbox.wait_for(old, "Votre adresse courriel a été changée"))
    assert "nouvelle@exemple.ca" in told and "e-mail" not in told.lower()

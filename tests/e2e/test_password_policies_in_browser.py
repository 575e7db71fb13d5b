"""Each preset's password rule, shown beside the field and as the error, in French."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.accounts.password_cases import CASES
from tests.e2e.test_account_journeys import fill_signup, submit_signup
from tests.support.browser import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("preset", "refused", "accepted", "rule"), CASES)
def test_policy_refuses_then_accepts(page: Page, settings, preset, refused, accepted, rule):
    settings.GUICHET_PRESET = preset
    fill_signup(page, f"{preset}@exemple.ca", password=refused, via_home=preset != "caomsc")
    expect(page.locator(".helptext", has_text=rule)).to_be_visible()  # shown beforehand
    submit_signup(page)

    error = page.locator("#id_password1_errors")
    expect(error).to_contain_text(rule)
    expect(page.get_by_label("Prénom")).to_have_value("Geneviève")  # nothing typed is lost
    expect(page.get_by_label("Courriel")).to_have_value(f"{preset}@exemple.ca")
    assert_accessible(page)

    page.get_by_label("Mot de passe", exact=True).fill(accepted)
    page.get_by_label("Confirmer le mot de passe").fill(accepted)
    if not page.get_by_label("J'ai lu et j'accepte les").is_checked():
        page.get_by_label("J'ai lu et j'accepte les").check()
    submit_signup(page)
    expect(page.get_by_role("heading", name="Confirmez votre adresse courriel")).to_be_visible()

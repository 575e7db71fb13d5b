"""The API's documentation page in a real browser: Swagger UI, from our own files, draws
every documented operation under the site's Content-Security-Policy, with nothing
refused, in French and English."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_content_security_policy import PolicyWatch
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    "language,heading",
    [("fr", "Documentation de l'API de Guichet"), ("en", "Guichet API documentation")],
)
def test_the_documentation_runs_under_the_policy(page: Page, language: str, heading: str, tmp_path):
    watch = PolicyWatch(page)
    watch.visit(f"/api/v1/?lang={language}")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.locator(".opblock").first).to_be_visible(timeout=15000)
    assert page.locator(".opblock").count() >= 15
    expect(page.get_by_text("/api/v1/registrations/").first).to_be_visible()
    page.screenshot(path=str(tmp_path / f"docs-{language}.png"))
    watch.assert_clean()
    assert_accessible(page)
    page.set_viewport_size({"width": 360, "height": 800})
    assert_no_horizontal_scroll(page)

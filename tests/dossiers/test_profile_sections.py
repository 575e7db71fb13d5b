"""Every section of « Mon dossier »: sign-in required, shared menu, honest empty states."""

from __future__ import annotations

import pytest
from django.urls import reverse

from guichet.dossiers.models import LinkRole
from tests.dossiers.factories import ChildDossierFactory, DossierLinkFactory
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

SECTIONS = [
    "dossiers:information",
    "dossiers:card",
    "dossiers:functions",
    "dossiers:titles",
    "dossiers:trainings",
    "dossiers:events",
    "dossiers:invoices",
    "dossiers:subscriptions",
    "dossiers:interests",
    "dossiers:activity",
]
EMPTY_STATES = {
    "dossiers:titles": "Aucun titre ni attestation pour l'instant.",
    "dossiers:trainings": "Aucune formation pour l'instant.",
    "dossiers:events": "Aucun évènement pour l'instant.",
    "dossiers:invoices": "Aucune facture ni crédit pour l'instant.",
}


@pytest.fixture
def link(client):
    link = DossierLinkFactory()
    client.force_login(link.account)
    return link


@pytest.mark.parametrize("name", [*SECTIONS, "dossiers:home"])
def test_sections_require_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", SECTIONS)
def test_each_section_marks_itself_current_in_the_shared_menu(client, link, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = text_of(response)
    assert html.count('aria-current="page"') == 1
    assert f'<a href="{reverse(name)}" aria-current="page">' in html
    assert html.count("<h1>") == 1
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(("name", "message"), EMPTY_STATES.items())
def test_sections_of_later_issues_show_an_honest_empty_state(client, link, name, message):
    assert message in text_of(client.get(reverse(name)))


@pytest.mark.parametrize("name", SECTIONS)
def test_guardian_only_account_is_pointed_to_activate_its_file(client, account, name):
    DossierLinkFactory(account=account, dossier=ChildDossierFactory(), role=LinkRole.GUARDIAN)
    client.force_login(account)
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = text_of(response)
    assert "pas encore lié à votre propre dossier" in html
    assert reverse("dossiers:activate") in html
    assert '<form method="post"' not in html.split("<main")[1]


# « Mes formations » and « Mes évènements » list registrations: their query counts are
# tested in tests/registrations/test_mine_listing.py.
@pytest.mark.parametrize("name", ["dossiers:titles", "dossiers:invoices"])
def test_empty_section_query_count(client, link, name, django_assert_max_num_queries):
    client.get(reverse(name))
    with django_assert_max_num_queries(8):  # session, account, allauth's record, link
        response = client.get(reverse(name))
    assert response.status_code == 200


def test_sections_speak_english_on_request(client, link):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = text_of(client.get(reverse("dossiers:information")))
    assert "My information" in html and "Request a change" in html
    assert "Mes informations" not in html

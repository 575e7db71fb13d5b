"""« Mon dossier »: first sign-in goes to « Activez votre dossier »; then the summary and menu."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from guichet.dossiers.models import Delegation, LinkRole
from tests.dossiers.factories import ChildDossierFactory, DossierLinkFactory
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

COMAQ_ORDER = [
    "Mon dossier",
    "Mes informations",
    "Ma fiche",
    "Mes fonctions",
    "Titre et attestations",
    "Mes formations",
    "Mes évènements",
    "Mes factures et crédits",
    "Mes abonnements",
    "Mes intérêts",
    "Mon mot de passe",
]


@pytest.fixture
def holder_link(client):
    link = DossierLinkFactory(dossier__first_name="Geneviève", dossier__number="00875")
    client.force_login(link.account)
    return link


def test_first_sign_in_without_any_link_goes_to_activate_my_file(client, account):
    client.force_login(account)
    response = client.get(reverse("dossiers:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("dossiers:activate")


def test_signing_in_lands_on_my_file(client, account, password):
    response = client.post(reverse("account_login"), {"login": account.email, "password": password})
    assert response.status_code == 302
    assert response["Location"] == reverse("dossiers:home")


def test_home_page_redirects_signed_in_people_to_my_file(client, account):
    client.force_login(account)
    response = client.get(reverse("core:home"))
    assert response["Location"] == reverse("dossiers:home")


def test_home_shows_the_held_dossier_and_the_menu_in_comaq_order(client, holder_link):
    html = text_of(client.get(reverse("dossiers:home")))
    assert "00875" in html and "Geneviève" in html
    menu = html[html.index('aria-label="Sections de mon dossier"') :]
    positions = [menu.index(f">{label}<") for label in COMAQ_ORDER]
    assert positions == sorted(positions)
    assert "Activité de mon dossier" in menu
    assert f'href="{reverse("accounts:security")}">Mon mot de passe' in menu
    assert f'<a href="{reverse("dossiers:home")}" aria-current="page">' in menu


def test_home_shows_an_active_delegation_with_its_dates(client, holder_link, staff):
    Delegation.objects.create(
        account=holder_link.account,
        starts_on=datetime.date(2020, 1, 1),
        ends_on=datetime.date(2099, 12, 31),
        granted_by=staff,
    )
    html = text_of(client.get(reverse("dossiers:home")))
    assert "Votre droit d'agir pour d'autres personnes" in html
    assert "1er janvier 2020" in html and "31 décembre 2099" in html


def test_home_hides_a_delegation_that_has_ended(client, holder_link):
    Delegation.objects.create(
        account=holder_link.account,
        starts_on=datetime.date(2020, 1, 1),
        ends_on=datetime.date(2020, 12, 31),
    )
    html = text_of(client.get(reverse("dossiers:home")))
    assert "Votre droit d'agir" not in html


def test_guardian_without_own_dossier_is_pointed_to_activate_my_file(client, account):
    DossierLinkFactory(account=account, dossier=ChildDossierFactory(), role=LinkRole.GUARDIAN)
    client.force_login(account)
    response = client.get(reverse("dossiers:home"))
    assert response.status_code == 200
    html = text_of(response)
    assert "pas encore lié à votre propre dossier" in html
    assert reverse("dossiers:activate") in html


def test_my_file_requires_sign_in(client):
    response = client.get(reverse("dossiers:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_home_query_count_does_not_grow_with_the_family(
    client, holder_link, django_assert_max_num_queries
):
    for _ in range(5):
        DossierLinkFactory(
            account=holder_link.account, dossier=ChildDossierFactory(), role=LinkRole.GUARDIAN
        )
    client.get(reverse("dossiers:home"))  # the first request of a session records it
    # 7 for the session, the account and allauth's session record, 3 for the page.
    with django_assert_max_num_queries(10):
        response = client.get(reverse("dossiers:home"))
    assert response.status_code == 200

"""Each preset is its own operator: its pages offer only what it has, in its own words.

Under every preset, with its demo loaded, the home page, « Mon dossier » and « Activez
votre dossier » are crawled signed out and signed in as each of the preset's people:
no link on them answers 404, and an operator without households never speaks of family.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from guichet import presets
from guichet.accounts.models import Account
from tests.core.test_load_demo import load_demo
from tests.support.pages import text_of as page_text

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a\b[^>]*\bhref="(/[^"#]*)')
STARTS = ("/", "/mon-dossier/", "/mon-dossier/activer/")
# « Nom de famille » is a last name, not a family.
FAMILY = re.compile(r"(?<!nom de )\bfamil(le|ial|iaux|iales?)\b", re.IGNORECASE)


def text_of(response) -> str:
    """The page's text, with French non-breaking spaces (« Première visite ? ») as spaces."""
    return page_text(response).replace("\u00a0", " ")


def links(html: str) -> set[str]:
    return {href for href in LINK.findall(html) if not href.startswith("/static/")}


def crawl(client: Client) -> Iterator[tuple[str, str, int, str]]:
    """(page, link, status, the link's page text) for every link of the start pages, and the
    start pages themselves (as their own link)."""
    for start in STARTS:
        response = client.get(start, follow=True)
        assert response.status_code == 200, start
        html = text_of(response)
        yield start, start, response.status_code, html
        for href in sorted(links(html)):
            target = client.get(href, follow=True)
            yield start, href, target.status_code, text_of(target)


def people_of_the_preset() -> list[Account]:
    return list(Account.objects.filter(is_staff=False).order_by("email"))


def signed_in(account: Account) -> Client:
    client = Client()
    client.force_login(account)
    return client


@pytest.mark.parametrize("slug", sorted(presets.PRESETS))
def test_no_link_of_home_file_or_activation_answers_404(settings, slug):
    settings.GUICHET_PRESET = slug
    load_demo()
    households = presets.by_name(slug).has(presets.Feature.HOUSEHOLDS)

    visitors = [("visitor", Client())]
    visitors += [(account.email, signed_in(account)) for account in people_of_the_preset()]
    for who, client in visitors:
        for start, href, status, html in crawl(client):
            assert status != 404, f"{slug}, {who}: {start} links to {href}, which answers 404"
            assert status < 500, f"{slug}, {who}: {href} answers {status}"
            if not households:
                found = FAMILY.search(html)
                assert found is None, f"{slug}, {who}: {href} speaks of « {found.group(0)} »"


@pytest.mark.parametrize(
    ("slug", "shown", "absent"),
    [
        (
            "baie-comeau",
            ["Mes inscriptions", "Ma famille", "Mes factures et crédits"],
            ["Titre et attestations", "Mes formations", "Mes évènements"],
        ),
        (
            "comaq",
            ["Titre OMA et attestations", "Mes formations", "Mes évènements", "Mes inscriptions"],
            ["Ma famille"],
        ),
        (
            "umq",
            ["Mes évènements", "Mes inscriptions"],
            ["Mes formations", "Titre et attestations", "Ma famille"],
        ),
        (
            "ccq",
            ["Mes informations", "Mes demandes"],
            ["Mes inscriptions", "Mes factures et crédits", "Mes formations", "Ma famille"],
        ),
        (
            "caomsc",
            ["Mes informations", "Ma fiche"],
            ["Mes inscriptions", "Mes factures et crédits", "Titre et attestations"],
        ),
        (
            "demo",
            [
                "Titre et attestations",
                "Mes formations",
                "Mes évènements",
                "Mes inscriptions",
                "Ma famille",
            ],
            [],
        ),
    ],
)
def test_the_file_menu_follows_the_preset(settings, slug, shown, absent):
    settings.GUICHET_PRESET = slug
    load_demo()
    client = signed_in(Account.objects.get(email="marie.tremblay@exemple.ca"))

    menu = text_of(client.get(reverse("dossiers:home"))).split('aria-label="Sections')[1]
    menu = menu.split("</nav>")[0]
    for label in shown:
        assert f">{label}<" in menu, label
    for label in absent:
        assert f">{label}<" not in menu, label


def test_sections_a_preset_lacks_answer_404(settings, account, client):
    settings.GUICHET_PRESET = "baie-comeau"
    client.force_login(account)

    assert client.get(reverse("dossiers:titles")).status_code == 404
    assert client.get(reverse("dossiers:trainings")).status_code == 404
    assert client.get(reverse("dossiers:events")).status_code == 404
    settings.GUICHET_PRESET = "ccq"
    assert client.get(reverse("registrations:mine")).status_code == 404
    assert client.get(reverse("dossiers:invoices")).status_code == 404
    assert client.get(reverse("catalog:list")).status_code == 404


def test_my_registrations_is_in_the_menu_and_shows_it(settings):
    settings.GUICHET_PRESET = "baie-comeau"
    load_demo()
    client = signed_in(Account.objects.get(email="marie.tremblay@exemple.ca"))
    url = reverse("registrations:mine")

    assert f'href="{url}"' in text_of(client.get(reverse("dossiers:home")))
    assert f'href="{url}"' in text_of(client.get(reverse("dossiers:household")))
    page = text_of(client.get(url))
    assert 'aria-current="page"><strong>Mes inscriptions</strong>' in page
    assert "Hockey cosom" in page


def test_caomsc_creates_accounts_through_the_matricule_path(settings, client):
    settings.GUICHET_PRESET = "caomsc"
    member_path = reverse("dossiers:member_signup")

    home = text_of(client.get("/"))
    login = text_of(client.get(reverse("account_login")))

    assert f'href="{reverse("account_signup")}"' not in home
    # « Première visite ? » only: the home page leaves the header's link out, so a journey
    # clicking the link by name finds one (tests/accounts/test_comaq_guide_words.py).
    assert home.count(f'href="{member_path}"') == 1
    assert "matricule" in home
    assert f'href="{member_path}"' in login
    assert "Première visite ?" in login
    assert "Pas encore membre" not in login


@pytest.mark.parametrize(
    ("slug", "prompt", "not_said"),
    [
        ("baie-comeau", "Pas encore de compte ?", "Pas encore membre"),
        ("demo", "Pas encore de compte ?", "Pas encore membre"),
        ("umq", "Pas encore de compte ?", "Pas encore membre"),
        ("ccq", "Nouveau système, nouveau compte requis.", "Pas encore de compte"),
        ("comaq", "Pas encore membre ?", "Pas encore de compte"),
    ],
)
def test_the_login_page_speaks_of_the_operators_people(settings, client, slug, prompt, not_said):
    settings.GUICHET_PRESET = slug

    login = text_of(client.get(reverse("account_login")))

    assert prompt in login
    assert not_said not in login
    assert f'href="{reverse("account_signup")}"' in login


def test_staff_without_a_file_are_sent_to_the_staff_page(client, staff):
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={})
    client.force_login(staff)

    response = client.get(reverse("dossiers:home"))

    assert response.status_code == 302
    assert response.url == reverse("core:staff")


def test_people_without_a_file_are_still_sent_to_activate_it(client, account):
    client.force_login(account)

    response = client.get(reverse("dossiers:home"))

    assert response.url == reverse("dossiers:activate")

"""The « Mon dossier » shell: each app registers its sections, core builds the menu.

Core knows no app: the menu comes from what the apps registered (key, label, URL name,
order, whether the operator's preset offers it), so a new domain adds its section without
touching core, and the menu reads as it always did under every preset.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from django.test import RequestFactory
from django.utils import translation

from guichet import presets
from guichet.core import shell
from guichet.core.shell import Menu, Section
from guichet.presets import Feature
from tests.support.pages import text_of

# The « Mon dossier » menu as it reads under the demo preset (every section), in order.
FULL_MENU = [
    ("home", "Mon dossier", "/mon-dossier/"),
    ("information", "Mes informations", "/mon-dossier/mes-informations/"),
    ("card", "Ma fiche", "/mon-dossier/ma-fiche/"),
    ("functions", "Mes fonctions", "/mon-dossier/mes-fonctions/"),
    ("titles", "Titre et attestations", "/mon-dossier/titre-et-attestations/"),
    ("trainings", "Mes formations", "/mon-dossier/mes-formations/"),
    ("events", "Mes évènements", "/mon-dossier/mes-evenements/"),
    ("registrations", "Mes inscriptions", "/inscriptions/mes-inscriptions/"),
    ("messages", "Mes messages", "/mon-dossier/mes-messages/"),
    ("invoices", "Mes factures et crédits", "/mon-dossier/mes-factures/"),
    ("subscriptions", "Mes abonnements", "/mon-dossier/mes-abonnements/"),
    ("interests", "Mes intérêts", "/mon-dossier/mes-interets/"),
    ("password", "Mon mot de passe", "/compte/securite/"),
    ("membership", "Devenir membre", "/adhesion/"),
    ("household", "Ma famille", "/mon-dossier/famille/"),
    ("requests", "Mes demandes", "/demandes/"),
    ("my_data", "Mes données", "/mon-dossier/mes-donnees/"),
    ("activity", "Activité de mon dossier", "/mon-dossier/activite/"),
]
EVERYONES = ["home", "information", "card", "functions", "subscriptions", "interests"]
AFTER = ["password", "requests", "my_data", "activity"]
# Where the preset has memberships, « Devenir membre » follows « Mon mot de passe ».
MEMBERS_AFTER = ["password", "membership", "requests", "my_data", "activity"]
MENU_OF_THE_PRESET = {
    "baie-comeau": [
        *EVERYONES[:4],
        "registrations",
        "messages",
        "invoices",
        *EVERYONES[4:],
        "password",
        "household",
        "requests",
        "my_data",
        "activity",
    ],
    "caomsc": [*EVERYONES, *MEMBERS_AFTER],
    "ccq": [*EVERYONES, *AFTER],
    "comaq": [
        *EVERYONES[:4],
        "titles",
        "trainings",
        "events",
        "registrations",
        "messages",
        "invoices",
        *EVERYONES[4:],
        *MEMBERS_AFTER,
    ],
    "demo": [key for key, _label, _url in FULL_MENU],
    "umq": [
        *EVERYONES[:4],
        "events",
        "registrations",
        "messages",
        "invoices",
        *EVERYONES[4:],
        *AFTER,
    ],
}


def test_the_file_menu_reads_as_before_with_each_app_registering_its_own_sections():
    with translation.override("fr"):
        entries = [(entry.key, entry.label, entry.url) for entry in shell.menu("home")]
    assert entries == FULL_MENU


@pytest.mark.parametrize("slug", sorted(presets.PRESETS))
def test_the_file_menu_keeps_its_order_under_every_preset(settings, slug):
    settings.GUICHET_PRESET = slug
    assert [entry.key for entry in shell.menu("home")] == MENU_OF_THE_PRESET[slug]


def test_sections_take_their_place_by_order_whoever_registers_first():
    menu = Menu()
    menu.register(Section("last", "Dernière", "core:terms", order=30))
    menu.register(
        Section("first", "Première", "core:home", order=10),
        Section("middle", "Au milieu", "privacy_policy", order=20),
    )
    entries = menu.entries("middle")
    assert [(entry.key, entry.url, entry.current) for entry in entries] == [
        ("first", "/", False),
        ("middle", "/confidentialite/", True),
        ("last", "/conditions/", False),
    ]


def test_a_section_needs_its_feature_or_its_predicate_on_the_preset(settings):
    menu = Menu()
    menu.register(
        Section("home", "Accueil", "core:home", order=10),
        Section("money", "Argent", "core:terms", order=20, feature=Feature.BILLING),
        Section(
            "courses", "Cours", "privacy_policy", order=30, when=lambda p: p.offers("training")
        ),
    )
    settings.GUICHET_PRESET = "ccq"  # neither billing nor trainings
    assert [entry.key for entry in menu.entries("home")] == ["home"]
    assert not menu.offered("money") and not menu.offered("courses")
    settings.GUICHET_PRESET = "umq"  # billing, events but no trainings
    assert [entry.key for entry in menu.entries("home")] == ["home", "money"]
    settings.GUICHET_PRESET = "comaq"
    assert [entry.key for entry in menu.entries("home")] == ["home", "money", "courses"]


def test_a_section_the_preset_lacks_answers_404(settings):
    settings.GUICHET_PRESET = "ccq"
    with pytest.raises(Http404):
        shell.require_section("invoices")
    settings.GUICHET_PRESET = "baie-comeau"
    shell.require_section("invoices")


def test_two_sections_cannot_share_a_key():
    menu = Menu()
    section = Section("same", "Une", "core:home", order=10)
    menu.register(section)
    menu.register(section)  # an app's ready() run twice changes nothing
    with pytest.raises(ImproperlyConfigured):
        menu.register(Section("same", "Autre", "core:terms", order=20))


def test_page_context_titles_the_page_and_marks_its_section():
    with translation.override("fr"):
        context = shell.page_context("interests", extra="là")
        assert str(context["title"]) == "Mes intérêts"
    assert context["section"] == "interests"
    assert context["extra"] == "là"
    assert [entry.key for entry in context["menu"] if entry.current] == ["interests"]


@pytest.mark.django_db
def test_an_honest_empty_state_is_a_page_of_the_shell(rf: RequestFactory, account):
    request = rf.get("/mon-dossier/titre-et-attestations/")
    request.user = account
    with translation.override("fr"):
        response = shell.render_empty(
            request,
            "titles",
            message="Rien pour l'instant.",
            explanation="Vos titres paraîtront ici.",
        )
    html = text_of(response)
    assert "<h1>Titre et attestations</h1>" in html
    assert "<strong>Rien pour l'instant.</strong>" in html
    assert "Vos titres paraîtront ici." in html
    assert 'href="/mon-dossier/titre-et-attestations/" aria-current="page"' in html

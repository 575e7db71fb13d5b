"""« Mes informations » keeps what the operator needs: the preset says which address and
whether a phone; emptying one is refused beside the field, and nothing is saved."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from guichet import presets
from guichet.dossiers.services.profile import IncompleteInformation, update_information
from guichet.presets import RequiredInformation
from tests.dossiers.factories import DossierLinkFactory
from tests.dossiers.test_profile_information import form_data
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

URL = reverse("dossiers:information")


@pytest.fixture
def link(client):
    link = DossierLinkFactory(dossier__is_resident=True)
    client.force_login(link.account)
    return link


def error_beside(page: str, field: str) -> str:
    """The errors listed beside a field, tied to its input by aria-describedby."""
    widget = re.search(rf'<input[^>]*name="{field}"[^>]*>', page).group(0)
    assert f"id_{field}_errors" in widget and 'aria-invalid="true"' in widget
    found = re.search(rf'<ul class="errorlist" id="id_{field}_errors">(.*?)</ul>', page, re.S)
    return found.group(1) if found else ""


def test_every_preset_says_what_its_operator_needs():
    needs = {slug: preset.required_information for slug, preset in presets.PRESETS.items()}
    home, main, phone = (
        RequiredInformation.HOME_ADDRESS,
        RequiredInformation.MAIN_ADDRESS,
        RequiredInformation.PHONE,
    )
    # A city's residency and its Relevé 24 rest on the home address.
    assert needs["baie-comeau"] == needs["demo"] == frozenset({home, phone})
    # COMAQ writes to the employer's address, its main one (guide: « adresse principale »).
    assert needs["comaq"] == frozenset({main, phone})
    assert all(phone in need for need in needs.values())


def test_a_city_keeps_the_home_address_of_its_residents(client, link, settings):
    settings.GUICHET_PRESET = "baie-comeau"
    dossier = link.dossier
    response = client.post(URL, form_data(dossier, home_street="", home_postal_code=""))
    assert response.status_code == 200
    page = text_of(response)
    assert "Veuillez corriger les champs indiqués ci-dessous." in page
    for field in ("home_street", "home_postal_code"):
        assert "Obligatoire : nous avons besoin de votre adresse personnelle." in error_beside(
            page, field
        )
    assert 'value="Baie-Comeau"' in page  # what was typed is kept
    dossier.refresh_from_db()
    assert (dossier.home_street, dossier.home_postal_code) == ("123, rue Principale", "G4Z 1A1")
    assert dossier.is_resident


def test_one_phone_at_least_stays(client, link, settings):
    settings.GUICHET_PRESET = "baie-comeau"
    dossier = link.dossier
    page = text_of(client.post(URL, form_data(dossier, home_phone="")))
    assert "Indiquez au moins un numéro de téléphone." in error_beside(page, "home_phone")
    dossier.refresh_from_db()
    assert dossier.home_phone == "418 555-0100"
    # Another phone instead is fine.
    response = client.post(URL, form_data(dossier, home_phone="", mobile_phone="418 555-0199"))
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert (dossier.home_phone, dossier.mobile_phone) == ("", "418 555-0199")


def test_an_association_needs_the_main_address_whichever_it_is(client, link, settings):
    settings.GUICHET_PRESET = "comaq"
    dossier = link.dossier
    work = {
        "work_employer": "Ville de Québec",
        "work_street": "2, rue des Jardins",
        "work_city": "Québec",
        "work_postal_code": "G1R 4S9",
    }
    # The work address is the main one: the home address may be left out.
    response = client.post(
        URL, form_data(dossier, main_address="work", home_street="", home_city="", **work)
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert (dossier.main_address, dossier.home_street) == ("work", "")
    # …but not the work address itself.
    page = text_of(
        client.post(
            URL,
            form_data(dossier, main_address="work", **{**work, "work_city": "", "home_city": ""}),
        )
    )
    assert "Obligatoire : c'est votre adresse principale." in error_beside(page, "work_city")


def test_the_required_fields_are_marked_on_the_page(client, link, settings):
    settings.GUICHET_PRESET = "baie-comeau"
    page = text_of(client.get(URL))
    assert re.search(r'<label for="id_home_street" class="required">', page)
    assert not re.search(r'<label for="id_work_street" class="required">', page)
    assert "Au moins un numéro de téléphone." in page


def test_the_service_never_empties_what_the_operator_needs(link, settings):
    settings.GUICHET_PRESET = "baie-comeau"
    with pytest.raises(IncompleteInformation) as refused:
        update_information(link.dossier, {"home_city": ""}, actor=link.account)
    assert list(refused.value.missing) == ["home_city"]
    link.dossier.refresh_from_db()
    assert link.dossier.home_city == "Baie-Comeau"

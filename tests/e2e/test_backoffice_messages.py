"""Messages to participants in a real browser: the registrar writes to a day camp's
participants from its roster on a 360 px phone (a mistake explained, nothing typed lost),
the guardian receives the email and reads it again in « Mon dossier » → « Mes messages »,
in French and in English. axe-core on each page, nothing scrolls sideways."""

from __future__ import annotations

import pytest
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from tests.backoffice.people.support import day_camp, family_child
from tests.e2e.test_backoffice_people import checked, staff_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def person_page(browser: Browser, base_url: str, account, *, locale: str = "fr-CA") -> Page:
    session = Client()
    session.force_login(account)
    context = browser.new_context(
        base_url=base_url, locale=locale, viewport={"width": 360, "height": 800}
    )
    context.set_default_timeout(15_000)
    context.add_cookies(
        [{"name": "sessionid", "value": session.cookies["sessionid"].value, "url": base_url}]
    )
    return context.new_page()


def test_the_registrar_writes_to_a_day_camps_participants_who_read_it_in_mon_dossier(
    browser, base_url, mailbox
):
    camp = day_camp(title="Camp de jour des Explorateurs", title_en="Explorers day camp")
    guardian = family_child(camp).registered_by
    page = staff_page(browser, base_url, "registrar", width=360)

    page.goto(f"/personnel/listes/{camp.pk}/")
    page.get_by_role("link", name="Écrire aux participants").click()
    checked(page)
    page.get_by_label("Message en français").fill("Sortie au parc jeudi : apportez un chapeau.")
    page.get_by_role("button", name="Envoyer le message").click()
    expect(page.get_by_text("Ce champ est obligatoire.")).to_be_visible()
    expect(page.get_by_label("Message en français")).to_have_value(
        "Sortie au parc jeudi : apportez un chapeau."
    )
    checked(page)
    page.get_by_label("Objet en français").fill("Sortie au parc")
    page.get_by_label("Objet en anglais").fill("Outing to the park")
    page.get_by_label("Message en anglais").fill("Outing to the park on Thursday: bring a hat.")
    page.get_by_role("button", name="Envoyer le message").click()
    expect(page.get_by_text("Le message est en cours d'envoi à 1 adresse.")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Envoyé le")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Envoyé par")).to_be_visible()
    checked(page)

    email = mailbox.wait_for(guardian.email, "Sortie au parc")
    assert "apportez un chapeau" in mailbox.body(email)

    reader = person_page(browser, base_url, guardian)
    reader.goto("/mon-dossier/")
    reader.get_by_role("link", name="Mes messages").click()
    expect(reader.get_by_role("heading", name="Sortie au parc")).to_be_visible()
    expect(reader.get_by_text("Camp de jour des Explorateurs")).to_be_visible()
    checked(reader)

    guardian.language = "en"
    guardian.save(update_fields=["language"])
    reader.reload()
    expect(reader.get_by_role("heading", name="Outing to the park")).to_be_visible()
    expect(reader.get_by_text("Explorers day camp")).to_be_visible()
    checked(reader)

"""The CCQ responsible's guide (guide 003), steps 1–7, by its labels, in a real browser."""

from __future__ import annotations

import re

import bcrypt
import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from playwright.sync_api import Page, expect

from guichet.accounts.models import StaffRole
from guichet.core.roles import Role
from guichet.organizations.models import Relation, RelationType
from tests.e2e.test_account_journeys import sign_in
from tests.factories import AccountFactory
from tests.organizations.cast import contact_with_account, organization, relate
from tests.organizations.conftest import CODES
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WRITE = "Sujets autorisés en lecture et écriture (sélectionnez tous les sujets qui s'appliquent)"
READ = "Sujets autorisés en lecture seulement (sélectionnez tous les sujets qui s'appliquent)"
AUTHORIZATION = "J'atteste que cette autorisation permettra"
EXACT = "J'atteste que les modifications demandées sont exactes"


def open_form(page: Page, category: str, title: str, action: str) -> None:
    page.get_by_role("link", name="Catalogue de services").click()
    page.get_by_role("link", name=category, exact=True).click()
    tile = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=title))
    tile.get_by_text("Afficher les détails").click()
    assert_accessible(page)
    tile.get_by_role("link", name=re.compile(f"^{action}")).click()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    assert_accessible(page)


def staff_page(browser, base_url: str) -> Page:
    """A registrar (Inscriptions) with the second factor staff need, in its own browser."""
    registrar = AccountFactory(is_staff=True, first_name="Paule", last_name="Personnel")
    StaffRole.objects.create(account=registrar, role=Role.REGISTRAR)
    Authenticator.objects.create(user=registrar, type=Authenticator.Type.TOTP, data={"secret": "x"})
    session = Client()
    session.force_login(registrar)
    desk = browser.new_context(base_url=base_url, locale="fr-CA")
    desk.add_cookies(
        [{"name": "sessionid", "value": session.cookies["sessionid"].value, "url": base_url}]
    )
    return desk.new_page()


def test_the_responsibles_guide(page: Page, settings, account, password, mailbox, live_server):
    settings.GUICHET_PRESET = "ccq"
    local = organization(
        "Syndicat local 1234",
        legacy_username="local1234",
        legacy_password_hash=bcrypt.hashpw(b"Local-1234-2019", bcrypt.gensalt(4)).decode(),
    )
    employer = organization("Construction Boréal inc.")
    relate(
        local,
        employer,
        RelationType.REPRESENTATIVE,
        {"paiements": "write", "rapport-mensuel": "write"},
    )
    _staff, demers = contact_with_account(first_name="Marie-Hélène", last_name="Demers")
    relate(demers, local, RelationType.STAFF)
    _other, gagne = contact_with_account(first_name="Marc", last_name="Gagné")
    relate(gagne, local, RelationType.LEADER, {"profil": "write"})

    # Steps 1–2: the account links the local's former access, then selects a profile.
    sign_in(page, account.email, password)
    page.goto("/mon-dossier/")
    expect(page.get_by_role("heading", name="Lier mon compte à mon dossier")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Utiliser mes accès des anciens services en ligne").click()
    expect(page.get_by_role("heading", name="Liaison d'un profil")).to_be_visible()
    page.get_by_role("button", name="Commencer").click()
    assert_accessible(page)
    page.get_by_label("Nom d'utilisateur des anciens services en ligne").fill("local1234")
    page.get_by_label("Mot de passe des anciens services en ligne").fill("Local-1234-2019")
    page.get_by_role("button", name="Lier", exact=True).click()
    expect(
        page.get_by_text("Votre compte est maintenant lié au dossier de votre organisation.")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Sélectionnez un profil").click()
    expect(page.get_by_role("heading", name="Sélectionnez un profil")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Syndicat local 1234").check()
    page.get_by_role("button", name="Agir pour ce profil").click()
    expect(
        page.get_by_role("link", name=re.compile("Profil : Syndicat local 1234"))
    ).to_be_visible()

    # Step 3: « Mon organisation » → « Relations et autorisations ».
    page.get_by_role("link", name="Mon organisation", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name="Relations et autorisations").click()
    page.get_by_role("link", name="Contacts de l'organisation").click()
    contacts = page.get_by_role("table", name="Contacts de l'organisation")
    for header in ("Contact", "Fonction", "Organisation", "Actif"):
        expect(contacts.get_by_role("columnheader", name=header, exact=True)).to_be_visible()
    expect(contacts.get_by_role("row", name=re.compile("Marc Gagné Dirigeant"))).to_be_visible()
    expect(contacts.get_by_role("row", name=re.compile("Personne responsable"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Autorisations", exact=True).click()
    page.get_by_label("Contact de l'organisation").select_option(label="Marc Gagné")
    page.get_by_role("button", name="Filtrer").click()
    authorizations = page.get_by_role("table", name="Autorisations")
    for header in ("Sujet autorisé", "Droit", "Organisation", "Contact de l'organisation"):
        expect(authorizations.get_by_role("columnheader", name=header, exact=True)).to_be_visible()
    expect(authorizations.get_by_role("row", name=re.compile("Profil Écriture"))).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 360, "height": 800})
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    # At 360 px the table scrolls in its own focusable region; no word is cut in a cell.
    region = page.get_by_role("region", name="Autorisations")
    assert region.evaluate("e => e.scrollWidth > e.clientWidth")
    region.focus()
    expect(region).to_be_focused()
    for header in ("Organisation", "Actif", "Droit", "Fonction"):
        cell = authorizations.get_by_role("columnheader", name=header, exact=True)
        lines = cell.evaluate(
            "e => { const r = document.createRange(); r.selectNodeContents(e);"
            " return r.getClientRects().length; }"
        )
        assert lines == 1, f"« {header} » is cut inside its cell"
    page.set_viewport_size({"width": 1280, "height": 900})

    # Step 4: a person missing from the contacts, who receives linking details.
    open_form(
        page,
        "Autorisations",
        "Ajouter une relation ou des sujets autorisés à un contact",
        "Ajouter",
    )
    page.get_by_label("Le contact n'existe pas").check()
    page.get_by_label("Prénom").fill("Yves")
    page.get_by_label("Nom", exact=True).fill("Boucher")
    page.get_by_label("Adresse courriel").fill("yves.boucher@exemple.ca")
    page.get_by_label("Choisir la relation à ajouter").select_option(label="Membre du personnel")
    page.get_by_role("group", name=WRITE).get_by_label("Rapport mensuel").check()
    page.get_by_role("group", name=READ).get_by_label("Profil").check()
    page.get_by_label(AUTHORIZATION).check()
    page.get_by_label(EXACT).check()
    page.get_by_role("button", name="Soumettre").click()
    expect(page.get_by_text("Votre demande a été soumise et appliquée.")).to_be_visible()
    assert_accessible(page)
    assert mailbox.wait_for("yves.boucher@exemple.ca", "Votre code de liaison")

    # Step 5a and 6: correct a contact and send a new linking code.
    open_form(
        page,
        "Dossier client",
        "Modifier les informations personnelles et les coordonnées d'un individu autorisé "
        "ou d'un contact",
        "Modifier",
    )
    page.get_by_label("Individu autorisé ou contact dans ce profil").first.select_option(
        label="Marie-Hélène Demers"
    )
    page.get_by_role("button", name="Afficher les valeurs actuelles").click()
    expect(page.get_by_text("Valeur actuelle :").first).to_be_visible()
    page.get_by_label("Coordonnées de communication").check()
    page.get_by_label("Numéro de téléphone principal").fill("514 555-0142")
    page.get_by_label("Émettre un nouveau code de liaison").check()
    page.get_by_label(EXACT).check()
    page.get_by_role("button", name="Soumettre").click()
    expect(page.get_by_text("Votre demande a été soumise et appliquée.")).to_be_visible()
    assert mailbox.wait_for(demers.email, "Votre code de liaison")
    assert mailbox.wait_for(demers.email, "Vos relations avec Syndicat local 1234 ont changé")

    # Step 5b: the employer's subjects, delegated to a member of the staff.
    open_form(
        page,
        "Autorisations",
        "Ajouter une relation ou des sujets autorisés à un contact",
        "Ajouter",
    )
    page.get_by_label("Contact dans ce profil").select_option(label="Marie-Hélène Demers")
    page.get_by_label("Une autre organisation").check()
    page.get_by_label("Organisation ou individu").select_option(label="Construction Boréal inc.")
    page.get_by_role("group", name=READ).get_by_label("Paiements et relevés").check()
    page.get_by_label(AUTHORIZATION).check()
    page.get_by_label(EXACT).check()
    page.get_by_role("button", name="Soumettre").click()
    expect(page.get_by_text("Votre demande a été soumise et appliquée.")).to_be_visible()
    assert Relation.objects.filter(contact=demers, organization=employer, through=local).exists()

    # Step 7: name another responsible.
    open_form(
        page,
        "Autorisations",
        "Ajouter une relation ou des sujets autorisés à un contact",
        "Ajouter",
    )
    page.get_by_label("Contact dans ce profil").select_option(label="Marc Gagné")
    page.get_by_label("Mon organisation").check()
    page.get_by_label("Choisir la relation à ajouter").select_option(label="Personne responsable")
    page.get_by_label(AUTHORIZATION).check()
    page.get_by_label(EXACT).check()
    page.get_by_role("button", name="Soumettre").click()
    # Naming a responsible waits for staff review (docs/organizations.md).
    expect(page.get_by_text("notre personnel la révise avant qu'elle prenne effet")).to_be_visible()
    expect(page.get_by_text("Soumise", exact=True)).to_be_visible()

    # Step 5c: remove all of a contact's relations; the history stays, « Faux ».
    open_form(
        page,
        "Autorisations",
        "Retirer une relation ou des sujets autorisés à un contact",
        "Retirer",
    )
    page.get_by_label("Contact dans ce profil").first.select_option(label="Marie-Hélène Demers")
    page.get_by_role("button", name="Afficher les relations").click()
    expect(page.get_by_text("Relation(s) déjà octroyée(s) :")).to_be_visible()
    page.get_by_label("Toutes les relations").check()
    page.get_by_label(EXACT).check()
    page.get_by_role("button", name="Soumettre").click()
    expect(page.get_by_text("Votre demande a été soumise et appliquée.")).to_be_visible()
    page.get_by_role("link", name="Mon organisation", exact=True).click()
    page.get_by_role("link", name="Relations et autorisations").click()
    rows = page.get_by_role("table", name="Contacts de l'organisation").get_by_role("row")
    expect(rows.filter(has_text="Marie-Hélène Demers").first).to_contain_text("Faux")
    assert_no_horizontal_scroll(page)

    # « Mes demandes »: every form, with its state.
    page.get_by_role("link", name="Mes demandes").click()
    expect(page.get_by_role("cell", name="Appliquée").first).to_be_visible()
    expect(page.get_by_role("row")).to_have_count(6)  # the header and five forms
    assert_accessible(page)

    # Staff (Inscriptions) apply the naming from their queue; the responsible sees it.
    desk = staff_page(page.context.browser, live_server.url)
    desk.goto("/personnel/")
    desk.get_by_role("link", name="Formulaires des organisations à réviser").click()
    desk.set_viewport_size({"width": 360, "height": 800})
    assert_accessible(desk)
    assert_no_horizontal_scroll(desk)
    desk.get_by_role("link", name="Ajouter une relation ou des sujets autorisés").click()
    expect(desk.get_by_text("Marc Gagné")).to_be_visible()
    assert_accessible(desk)
    assert_no_horizontal_scroll(desk)
    desk.get_by_role("button", name="Prendre en traitement").click()
    desk.get_by_role("link", name="Ajouter une relation ou des sujets autorisés").click()
    desk.get_by_role("button", name="Appliquer").click()
    expect(desk.get_by_text("La demande a été appliquée")).to_be_visible()
    assert Relation.objects.get(contact=gagne, kind=RelationType.RESPONSIBLE).is_active
    page.reload()
    expect(page.get_by_role("cell", name="Soumise")).to_have_count(0)


ORGANIZATION_PAGES = [
    "/organisation/",
    "/organisation/profil/",
    "/organisation/rapport-mensuel/",
    "/organisation/etat-de-compte/",
    "/organisation/mes-documents/",
    "/organisation/gerer/",
    "/organisation/relations/",
    "/organisation/relations/?onglet=autorisations",
    "/organisation/catalogue/",
    "/organisation/catalogue/ajouter-une-relation/",
    "/organisation/catalogue/modifier-un-contact/",
    "/organisation/catalogue/retirer-une-relation/",
    "/organisation/catalogue/coordonnees-de-liaison/",
    "/organisation/demandes/",
]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_organization_page_is_accessible_at_360_px(page: Page, settings, language):
    settings.GUICHET_PRESET = "ccq"
    local = organization("Syndicat local 1234")
    account, person = contact_with_account()
    account.language = language
    account.save()
    relate(person, local, RelationType.RESPONSIBLE, dict.fromkeys(CODES, "write"))
    _other, contact = contact_with_account(first_name="Marie-Hélène", last_name="Demers")
    relate(contact, local, RelationType.STAFF, {"profil": "read"})
    sign_in(page, account.email, "Un mot de passe assez long 2026")
    page.goto("/organisation/profil/")
    page.get_by_label("Syndicat local 1234").check()
    page.get_by_role("button", name=re.compile("Agir pour ce profil|Act as this profile")).click()
    page.set_viewport_size({"width": 360, "height": 800})
    relation = Relation.objects.get(contact=contact)
    pages = [
        *ORGANIZATION_PAGES,
        f"/organisation/contacts/{contact.pk}/",
        f"/organisation/relations/{relation.pk}/retirer/",
    ]
    for path in pages:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert_accessible(page)
        assert_no_horizontal_scroll(page)

"""Guide 003 (CCQ, « Guide du responsable »), steps 2–7: every page shows the guide's own
words under the ccq preset, screen by screen."""

from __future__ import annotations

import html
import re

import pytest

from guichet.audit.models import Action, AuditEvent
from guichet.organizations.models import RelationType
from tests.organizations.cast import act_as, contact_with_account, organization, relate
from tests.organizations.conftest import CODES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ccq")]

SUBJECTS = (
    "Accès aux données",
    "Paiements et relevés",
    "Plaintes de cotisations syndicales",
    "Profil",
    "Rapport mensuel",
    "Scrutin syndical",
)
TYPES = (
    "Dirigeant",
    "Individu autorisé",
    "Membre du personnel",
    "Personne responsable",
    "Représentant",
)


def words(client, path: str, **query) -> str:
    """The page's text, tags dropped, entities read, spaces folded."""
    response = client.get(path, query)
    assert response.status_code == 200, path
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(text).split())


def shows(page: str, *labels: str) -> None:
    missing = [label for label in labels if label not in page]
    assert not missing, missing


@pytest.fixture
def staff_member(local):
    _account, person = contact_with_account(first_name="Marie-Hélène", last_name="Demers")
    relate(person, local, RelationType.STAFF, {"rapport-mensuel": "read"})
    return person


def test_step_3_mon_organisation_and_its_menu(responsible_client):
    page = words(responsible_client, "/organisation/")
    shows(
        page,
        "Mon organisation",
        "Catalogue de services",
        "Mes demandes",
        "Rapport mensuel",
        "État de compte",
        "Mes documents",
        "Gérer mon organisation",
        "Relations et autorisations",
    )


def test_step_3_contacts_of_the_organization(responsible_client, staff_member, local):
    ended = relate(staff_member, local, RelationType.REPRESENTATIVE)
    ended.removed_at = ended.created_at
    ended.save()
    page = words(responsible_client, "/organisation/relations/")
    shows(page, "Contacts de l'organisation", "Autorisations")
    shows(page, "Contact Fonction Organisation Actif")  # the columns, in the guide's order
    shows(page, "Marie-Hélène Demers Membre du personnel Syndicat local 1234")
    shows(page, "Vrai", "Faux", "Personne responsable")


def test_step_3_authorizations_with_the_contact_filter(responsible_client, staff_member):
    page = words(responsible_client, "/organisation/relations/", onglet="autorisations")
    shows(page, "Sujet autorisé Droit Organisation Contact de l'organisation Fonction Actif")
    shows(page, "Contact de l'organisation", "Écriture", "Lecture", "Vrai")
    shows(page, "Rapport mensuel Lecture Syndicat local 1234")
    filtered = words(
        responsible_client,
        "/organisation/relations/",
        onglet="autorisations",
        contact=staff_member.pk,
    )
    assert "Écriture" not in filtered.split("Actif", 2)[-1]  # only her subject, in read


def test_step_4_the_service_catalog(responsible_client):
    page = words(responsible_client, "/organisation/catalogue/")
    shows(page, "Tous les catalogues", "Profil", "Autorisations", "Dossier client")
    shows(page, "Ajouter une relation ou des sujets autorisés à un contact")
    shows(page, "Retirer une relation ou des sujets autorisés à un contact")
    shows(page, "Afficher les détails", "Ajouter")
    client_file = words(
        responsible_client,
        "/organisation/catalogue/",
        catalogue="profil",
        categorie="dossier-client",
    )
    shows(
        client_file,
        "Modifier l'adresse d'un individu autorisé ou d'un contact",
        "Modifier les informations d'une organisation",
        "Modifier les informations personnelles et les coordonnées d'un individu autorisé "
        "ou d'un contact",
    )
    assert "Ajouter une relation" not in client_file


def test_step_4_and_7_the_add_form(responsible_client):
    page = words(responsible_client, "/organisation/catalogue/ajouter-une-relation/")
    shows(
        page,
        "Ajouter une relation ou des sujets autorisés à un contact",
        "Ce formulaire permet d'ajouter une relation ou des sujets autorisés à un contact "
        "d'une organisation.",
        "Seules les personnes possédant les autorisations requises",
        "* Champ obligatoire",
        "Profil concerné",
        "Rechercher un contact",
        "Contact dans ce profil",
        "Le contact n'existe pas",
        "À qui désirez-vous ajouter une relation?",
        "Mon organisation",
        "Une autre organisation",
        "Un individu",
        "Relation à ajouter",
        "Choisir la relation à ajouter",
        *TYPES,
        "Date de début",
        "Date de fin",
        "Autorisation(s) à ajouter",
        "Quel(s) sujet(s) autorisé(s) désirez-vous ajouter?",
        "Sujets autorisés en lecture et écriture (sélectionnez tous les sujets qui s'appliquent)",
        "Sujets autorisés en lecture seulement (sélectionnez tous les sujets qui s'appliquent)",
        *SUBJECTS,
        "Informations de communication du contact",
        "Adresse courriel",
        "J'atteste que cette autorisation permettra à la personne indiquée dans la section "
        "Informations sur la personne autorisée d'obtenir des renseignements ou d'agir pour "
        "mon compte.",
        "J'atteste que les modifications demandées sont exactes et je consens à ce qu'elles "
        "soient effectives dans mon dossier.",
        "Soumettre",
    )
    raw = responsible_client.get("/organisation/catalogue/ajouter-une-relation/").content
    assert b'value="9999-12-31"' in raw  # « Date de fin : 9999-12-31 » by default


def test_step_5a_and_6_the_change_form(responsible_client, staff_member):
    staff_member.mobile_phone, staff_member.home_phone = "514 555-1234", ""
    staff_member.save()
    page = words(
        responsible_client,
        "/organisation/catalogue/modifier-un-contact/",
        contact=staff_member.pk,
    )
    shows(
        page,
        "Profil concerné",
        "Individu autorisé ou contact dans ce profil",
        "Informations confidentielles",
        "Que désirez-vous modifier?",
        "Sélectionnez le type d'informations à mettre à jour parmi les options suivantes.",
        "Coordonnées de communication",
        "Informations personnelles",
        "Date de fin d'une relation",
        "Langue de communication",
        "- Aucun -",
        "Valeur actuelle : Français",
        "Adresse courriel",
        "L'adresse courriel est modifiable dans la section Paramètres du compte.",
        "Type du numéro de téléphone principal",
        "Valeur actuelle : Cellulaire",
        "Territoire téléphonique",
        "Amérique du Nord",
        "Indicatif",
        "+1",
        "Numéro de téléphone principal",
        "Valeur actuelle : +1 514 555-1234",
        "Ajouter un autre numéro de téléphone",
        "Émettre un nouveau code de liaison",
        "Déclaration",
        "J'atteste que les modifications demandées sont exactes et, le cas échéant, je "
        "confirme avoir joint les documents nécessaires au traitement de ma demande.",
        "Soumettre",
    )
    raw = responsible_client.get(
        "/organisation/catalogue/modifier-un-contact/", {"contact": staff_member.pk}
    ).content.decode()
    assert 'placeholder="999 999-9999"' in raw
    assert raw.count("Individu autorisé ou contact dans ce profil</label>") == 1


def test_step_5c_the_remove_form(responsible_client, staff_member):
    page = words(
        responsible_client,
        "/organisation/catalogue/retirer-une-relation/",
        contact=staff_member.pk,
    )
    shows(
        page,
        "Retirer une relation ou des sujets autorisés à un contact",
        "Ce formulaire permet de retirer une ou plusieurs relations associées à un contact de "
        "l'organisation ainsi que des sujets autorisés.",
        "Profil concerné",
        "Rechercher un contact",
        "Contact dans ce profil",
        "Autorisation(s) à retirer",
        "Quel(s) sujet(s) autorisé(s) ou relation(s) désirez-vous retirer?",
        "Toutes les relations",
        "Une ou plusieurs relation(s)",
        "Un ou plusieurs sujet(s) autorisé(s) associé(s) à une relation",
        "Le retrait de toutes les relations entraîne aussi le retrait des sujets autorisés "
        "qui y sont reliés.",
        "Relation(s) déjà octroyée(s) : Membre du personnel",
        "J'atteste que les modifications demandées sont exactes et, le cas échéant, je "
        "confirme avoir joint les documents nécessaires au traitement de ma demande et je "
        "consens à ce que les modifications soient effectives dans mon dossier.",
        "Soumettre",
    )


def test_a_contacts_page_says_aucune_for_no_end_date(responsible_client, staff_member):
    page = words(responsible_client, f"/organisation/contacts/{staff_member.pk}/")
    shows(page, "Membre du personnel", "aucune", "Vrai", "Rapport mensuel (Lecture)")


def test_no_page_of_the_guide_links_to_a_missing_page(responsible_client, staff_member):
    """Every link of « Mon organisation », the catalog and its forms leads somewhere."""
    seen: set[str] = set()
    pages = [
        "/organisation/",
        "/organisation/catalogue/",
        "/organisation/catalogue/?catalogue=profil&categorie=dossier-client",
        f"/organisation/contacts/{staff_member.pk}/",
        "/organisation/gerer/",
    ]
    for path in pages:
        content = responsible_client.get(path).content.decode()
        for link in re.findall(r'href="(/organisation/[^"#]*)"', content):
            link = html.unescape(link)
            if link in seen:
                continue
            seen.add(link)
            status = responsible_client.get(link).status_code
            assert status in (200, 302), (path, link, status)
    assert "/organisation/catalogue/modifier-une-organisation/" in seen
    assert "/organisation/catalogue/modifier-une-adresse/" in seen


@pytest.mark.parametrize(
    "path", ["relations/", "gerer/", "rapport-mensuel/", "mes-documents/", "etat-de-compte/"]
)
def test_the_menus_pages_lead_back_to_mon_organisation(responsible_client, path):
    page = responsible_client.get(f"/organisation/{path}").content.decode()
    crumb = re.search(r'<p class="breadcrumb">(.*?)</p>', page, re.S)
    assert crumb and 'href="/organisation/">Mon organisation</a>' in crumb.group(1)


def test_profil_concerne_chooses_the_profile_the_form_acts_for(client, local):
    """Guide 003, step 5: « Sélectionnez le profil de votre organisation à partir de la
    liste déroulante « Profil concerné » »; choosing another one switches to it."""
    account, person = contact_with_account()
    relate(person, local, RelationType.RESPONSIBLE, dict.fromkeys(CODES, "write"))
    other = organization("Syndicat local 5678")
    relate(person, other, RelationType.RESPONSIBLE)
    act_as(client, account, local)
    form = "/organisation/catalogue/ajouter-une-relation/"
    page = client.get(form).content.decode()
    assert '<label for="profil-concerne"><strong>Profil concerné</strong></label>' in page
    assert re.search(rf'<option value="{local.pk}" selected>Syndicat local 1234', page)
    assert f'<option value="{other.pk}">Syndicat local 5678' in page
    response = client.post("/organisation/profil/changer/", {"profile": other.pk, "next": form})
    assert response.status_code == 302 and response["Location"] == form
    assert re.search(rf'<option value="{other.pk}" selected>', client.get(form).content.decode())
    assert AuditEvent.objects.filter(action=Action.PROFILE_SWITCHED).exists()

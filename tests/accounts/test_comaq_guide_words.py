"""COMAQ's guide (000) read screen by screen under the `comaq` preset: each label a
person clicks or reads is on the page in the guide's own words, and the other operators
keep theirs."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from guichet import presets
from guichet.dossiers.models import Function
from tests.billing.cast import holder
from tests.memberships.cast import member_types
from tests.registrations.factories_mine import OfferingFactory, RegistrationFactory, holder_of
from tests.support.names import all_names, named, names, text
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

OTHERS = sorted(slug for slug in presets.PRESETS if slug not in ("comaq", "ccq"))


def test_the_top_bar_offers_the_guides_links(client, settings):
    settings.GUICHET_PRESET = "comaq"

    header = client.get("/").content.decode().split("</header>")[0]

    found = names(header)
    for link in ("Créer un dossier de participant", "Se connecter", "Payer mes factures"):
        assert ("link", link) in found


def test_pay_my_invoices_leads_through_sign_in_to_my_invoices(client, settings):
    settings.GUICHET_PRESET = "comaq"
    account, _dossier = holder()

    signed_out = client.get(reverse("dossiers:invoices"))
    assert signed_out.status_code == 302
    assert signed_out["Location"].startswith(reverse("account_login"))
    client.force_login(account)
    page = client.get(reverse("dossiers:invoices"))
    assert ("heading", "Mes factures et crédits") in named(page)


def test_the_sign_in_screen_has_the_guides_words(client, settings):
    settings.GUICHET_PRESET = "comaq"

    page = client.get(reverse("account_login"))

    found = named(page)
    for name in [
        ("heading", "Se connecter"),
        ("label", "Identifiant"),
        ("label", "Mot de passe"),
        ("label", "Se souvenir de moi"),
        ("button", "Connexion"),
        ("link", "Identifiant oublié ?"),
        ("link", "Mot de passe oublié ?"),
        ("link", "Créer un compte"),
    ]:
        assert name in found, name
    assert ("label", "Courriel") not in found
    assert "Pas encore membre ? Créer un compte." in text(page)


def test_one_signs_in_with_the_identifier_and_the_password(client, settings, account, password):
    settings.GUICHET_PRESET = "comaq"

    response = client.post(reverse("account_login"), {"login": account.email, "password": password})

    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(account.pk)


def test_creating_a_participant_file_and_becoming_a_member_follow_the_guides_steps(
    client, settings
):
    settings.GUICHET_PRESET = "comaq"
    member_types()

    home = named(client.get("/"))
    assert ("link", "Créer votre dossier de participant") in home
    assert ("link", "Devenir membre") in home
    participant = text_of(client.get(reverse("memberships:participant", args=[1])))
    for step in (
        "1. Informations générales",
        "2. Adresse",
        "3. Mes fonctions",
        "4. Informations supplémentaires",
        "5. Identifiant",
    ):
        assert step in participant
    membership = client.get(reverse("memberships:standing"))
    assert ("link", "Formulaire d'adhésion") in named(membership)
    form = text_of(client.get(reverse("memberships:apply", args=[1])))
    for step in (
        "1. Membership",
        "2. Informations générales",
        "3. Adresse",
        "4. Mes fonctions",
        "5. Mes diplômes",
        "6. Informations supplémentaires",
        "7. Identifiant",
    ):
        assert step in form


def test_mon_dossier_has_the_guides_menu_photo_link_and_membership(client, settings):
    settings.GUICHET_PRESET = "comaq"
    member_types()
    account, _dossier = holder()
    client.force_login(account)

    home = named(client.get(reverse("dossiers:home")))

    for entry in (
        "Mon dossier",
        "Mes informations",
        "Ma fiche",
        "Mes fonctions",
        "Titre OMA et attestations",
        "Mes formations",
        "Mes évènements",
        "Mes factures et crédits",
        "Mes abonnements",
        "Mes intérêts",
        "Mon mot de passe",
        "Devenir membre",
        "Ajouter/modifier votre photo de profil",
    ):
        assert ("link", entry) in home, entry
    standing = text(client.get(reverse("memberships:standing")))
    for words in (
        "Votre statut : Utilisateur du site",
        "Type de membre : Pas encore membre",
        "Cliquez ici pour connaître les avantages de devenir membre !",
    ):
        assert words in standing, words


@pytest.mark.parametrize("slug", OTHERS)
def test_other_operators_keep_their_words(client, settings, slug):
    settings.GUICHET_PRESET = slug
    account, _dossier = holder()

    header = names(client.get("/").content.decode().split("</header>")[0])
    login = named(client.get(reverse("account_login")))
    client.force_login(account)
    home = named(client.get(reverse("dossiers:home")))

    assert ("link", "Connexion") in header
    assert ("link", "Se connecter") not in header
    assert ("link", "Payer mes factures") not in header
    assert ("heading", "Connexion") in login
    assert ("label", "Courriel") in login
    assert ("label", "Identifiant") not in login
    assert ("link", "Ajouter ma photo de profil") in home


def test_mon_mot_de_passe_holds_the_form_sent_by_modifier(client, settings, account, password):
    settings.GUICHET_PRESET = "comaq"
    client.force_login(account)

    page = client.get(reverse("accounts:security"))

    found = named(page)
    for name in [
        ("label", "Mot de passe actuel"),
        ("label", "Nouveau mot de passe"),
        ("label", "Confirmer le nouveau mot de passe"),
        ("button", "Modifier"),
    ]:
        assert name in found, name
    changed = client.post(
        reverse("account_change_password"),
        {"oldpassword": password, "password1": "Nouveau-Mot-2026", "password2": "Nouveau-Mot-2026"},
    )
    assert changed.status_code == 302
    account.refresh_from_db()
    assert account.check_password("Nouveau-Mot-2026")


def test_my_trainings_offer_the_confirmation_of_attendance(client, settings, account):
    settings.GUICHET_PRESET = "comaq"
    me = holder_of(account)
    client.force_login(account)
    RegistrationFactory(offering=OfferingFactory(), participant=me, attended=True)

    page = named(client.get(reverse("dossiers:trainings")))

    assert ("link", "Confirmation de présence (PDF)") in page


@pytest.mark.parametrize("slug", OTHERS)
def test_other_operators_keep_their_password_page_and_attendance_words(
    client, settings, slug, account
):
    settings.GUICHET_PRESET = slug
    me = holder_of(account)
    client.force_login(account)
    RegistrationFactory(offering=OfferingFactory(), participant=me, attended=True)

    security = named(client.get(reverse("accounts:security")))

    assert ("link", "Changer mon mot de passe") in security
    assert ("button", "Modifier") not in security
    if presets.by_name(slug).offers("training"):
        trainings = named(client.get(reverse("dossiers:trainings")))
        assert ("link", "Attestation de présence (PDF)") in trainings


def test_mes_informations_and_ma_fiche_have_the_guides_words(client, settings):
    settings.GUICHET_PRESET = "comaq"
    account, _dossier = holder()
    client.force_login(account)

    information = client.get(reverse("dossiers:information"))
    card = named(client.get(reverse("dossiers:card")))

    found = named(information)
    for name in [
        ("link", "Modifier votre code d'accès"),
        ("link", "Changer votre courriel"),
        ("label", "Adresse au travail"),
        ("label", "Adresse personnelle"),
        ("button", "Modifier"),
    ]:
        assert name in found, name
    html = information.content.decode()
    assert f'href="{reverse("accounts:security")}">Modifier votre code' in html
    assert f'href="{reverse("account_email")}">Changer votre courriel' in html
    for name in [
        ("label", "Allergies / intolérances"),
        ("label", "Expertises exceptionnelles"),
        ("label", "Ordres professionnels et associations"),
        ("label", "Lien de profil LinkedIn"),
        ("button", "Modifier"),
    ]:
        assert name in card, name


@pytest.mark.parametrize("slug", OTHERS)
def test_other_operators_keep_their_words_in_mes_informations(client, settings, slug):
    settings.GUICHET_PRESET = slug
    account, _dossier = holder()
    client.force_login(account)

    found = named(client.get(reverse("dossiers:information")))

    assert ("link", "Changer mon courriel") in found
    assert ("link", "Modifier votre code d'accès") not in found


@pytest.mark.parametrize("slug", sorted(set(presets.PRESETS) - {"caomsc"}))
@pytest.mark.parametrize("page", ["/", "/compte/login/"])
def test_one_link_creates_an_account_on_the_home_and_login_pages(client, settings, slug, page):
    """A journey clicks « Créer un compte » by its name: the header does not repeat the
    page's own link."""
    settings.GUICHET_PRESET = slug

    found = all_names(client.get(page).content.decode())

    assert found.count(("link", "Créer un compte")) == 1


@pytest.mark.parametrize(
    ("slug", "end", "add"),
    [
        ("comaq", "Indiquez votre fin de fonction", "Ajoutez une nouvelle fonction"),
        ("caomsc", "Indiquer la fin de ma fonction", "Ajouter une fonction"),
    ],
)
def test_mes_fonctions_speaks_the_operators_words(client, settings, slug, end, add):
    settings.GUICHET_PRESET = slug
    account, dossier = holder()
    Function.objects.create(
        dossier=dossier, title="Greffière", employer="Ville", started_on=datetime.date(2019, 1, 1)
    )
    client.force_login(account)

    found = named(client.get(reverse("dossiers:functions")))

    assert ("button", end) in found
    assert ("heading", add) in found

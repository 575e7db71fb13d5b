"""« Répertoire des membres »: members only (others 404), only members who opted in (off by
default, Law 25), with only the fields each chose to show; search, pages, query count."""

from __future__ import annotations

import datetime

import pytest

from guichet.audit.models import Action, AuditEvent
from guichet.credentials.models import DirectoryListing
from guichet.dossiers.models import Function, Profile
from tests.credentials.cast import end_membership, member_of
from tests.factories import AccountFactory
from tests.registrations.factories_mine import days_from_today, holder_of
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db
URL = "/repertoire/"
MINE = "/repertoire/ma-presence/"


def listed_member(first: str, last: str, *, region: str = "", shown: tuple[str, ...] = (), **card):
    dossier = member_of(AccountFactory(), first_name=first, last_name=last)
    Profile.objects.update_or_create(dossier=dossier, defaults={"in_directory": True, **card})
    DirectoryListing.objects.create(
        dossier=dossier, region=region, **{f"show_{name}": True for name in shown}
    )
    return dossier


@pytest.fixture
def reader(comaq, client, account):
    member_of(account)
    client.force_login(account)
    return client


def test_a_visitor_signs_in_and_non_members_get_404(comaq, client, account):
    assert client.get(URL).status_code == 302
    holder_of(account)  # a participant, not a member
    client.force_login(account)
    assert client.get(URL).status_code == 404
    assert client.get(MINE).status_code == 404
    lapsed = end_membership(holder_of(AccountFactory()), ended=days_from_today(-1))
    client.force_login(lapsed.links.get().account)
    assert client.get(URL).status_code == 404


def test_absent_where_the_preset_has_no_directory(settings, client, account):
    settings.GUICHET_PRESET = "baie-comeau"
    member_of(account)
    client.force_login(account)
    assert client.get(URL).status_code == 404


def test_only_members_who_opted_in_are_listed(reader):
    listed_member("Alice", "Archambault")
    quiet = member_of(AccountFactory(), first_name="Bruno", last_name="Bédard")
    Profile.objects.create(dossier=quiet, in_directory=False)
    former = end_membership(
        holder_of(AccountFactory(), first_name="Chloé", last_name="Cloutier"),
        ended=days_from_today(-3),
    )
    Profile.objects.create(dossier=former, in_directory=True)

    html = text_of(reader.get(URL))

    assert "Alice Archambault" in html
    assert "Bruno" not in html
    assert "Chloé" not in html


def test_only_the_fields_each_member_chose_are_shown(reader):
    shows = listed_member(
        "Alice",
        "Archambault",
        region="03",
        shown=("employer", "expertise", "linkedin"),
        expertise="Gestion contractuelle",
        professional_orders="Barreau du Québec",
        linkedin_url="https://www.linkedin.com/in/alice-archambault",
    )
    Function.objects.create(
        dossier=shows,
        title="Greffière",
        employer="Ville de Lévis",
        started_on=datetime.date(2020, 1, 6),
    )
    listed_member(
        "Bruno",
        "Bédard",
        expertise="Secret bien gardé",
        professional_orders="Ordre caché",
        linkedin_url="https://www.linkedin.com/in/bruno-cache",
    )

    html = text_of(reader.get(URL))

    assert "Ville de Lévis" in html
    assert "Capitale-Nationale" in html
    assert "Gestion contractuelle" in html
    assert "https://www.linkedin.com/in/alice-archambault" in html
    assert "Barreau du Québec" not in html  # not chosen
    assert "Bruno Bédard" in html
    assert "Secret bien gardé" not in html
    assert "Ordre caché" not in html
    assert "bruno-cache" not in html


def test_search_by_name_region_and_shown_expertise(reader):
    listed_member("Alice", "Archambault", region="03", shown=("expertise",), expertise="Urbanisme")
    listed_member("Bruno", "Bédard", region="06", expertise="Urbanisme")  # expertise hidden

    def names(**query):
        html = text_of(reader.get(URL, query))
        return [n for n in ("Alice Archambault", "Bruno Bédard") if n in html]

    assert names(name="bédard") == ["Bruno Bédard"]
    assert names(region="03") == ["Alice Archambault"]
    assert names(expertise="urbanisme") == ["Alice Archambault"]
    assert names() == ["Alice Archambault", "Bruno Bédard"]


def test_pages_of_twenty_in_a_constant_number_of_queries(reader, django_assert_max_num_queries):
    for n in range(25):
        dossier = listed_member(f"Membre{n:02d}", "Lavoie", shown=("employer",))
        Function.objects.create(
            dossier=dossier,
            title="DG",
            employer=f"Municipalité {n}",
            started_on=datetime.date(2021, 1, 1),
        )
    with django_assert_max_num_queries(12):
        first = text_of(reader.get(URL))
    assert "25 membres" in first
    assert first.count("Municipalité ") == 20
    with django_assert_max_num_queries(12):
        second = text_of(reader.get(URL, {"page": 2}))
    assert second.count("Municipalité ") == 5


def test_the_member_opts_in_and_chooses_what_to_show(reader, account):
    dossier = account.dossier_links.get().dossier
    form = text_of(reader.get(MINE))
    assert 'name="listed"' in form and "checked" not in form.split('name="listed"')[1].split(">")[0]
    assert dossier.display_name not in text_of(reader.get(URL))

    response = reader.post(
        MINE, {"listed": "on", "region": "09", "show_employer": "on"}, follow=True
    )

    assert "Vos choix pour le répertoire des membres sont enregistrés." in text_of(response)
    assert Profile.objects.get(dossier=dossier).in_directory is True
    listing = DirectoryListing.objects.get(dossier=dossier)
    assert (listing.region, listing.show_employer, listing.show_linkedin) == ("09", True, False)
    assert dossier.display_name in text_of(reader.get(URL))
    assert AuditEvent.objects.filter(action=Action.DIRECTORY_CHANGED, dossier=dossier).exists()
    assert AuditEvent.objects.filter(action=Action.PROFILE_CHANGED, dossier=dossier).exists()

    reader.post(MINE, {"region": "09", "show_employer": "on"})
    assert Profile.objects.get(dossier=dossier).in_directory is False
    assert dossier.display_name not in text_of(reader.get(URL))

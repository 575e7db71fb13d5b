"""``manage.py load_demo``: a demo operator whose people can sign in, loaded idempotently.

Each preset is its own operator: its demo has the people and the data that fit it (a
city's residents and activities, an association's members and trainings, a conference
and its super-user, former credentials, matricules), and each of its people signs in with
the published password and finds their own data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guichet import presets
from guichet.accounts import lockout
from guichet.accounts.demo import DEMO_PASSWORD
from guichet.accounts.models import Account, StaffRole
from guichet.backoffice.models import OfferingLeader
from guichet.billing.models import Invoice, Payment
from guichet.catalog.models import Offering
from guichet.dossiers.models import Delegation, Dossier, DossierLink
from tests.support.pages import text_of

STAFF = "admin@valdeserables.exemple.ca"
# The administrator's team: a counter clerk and an activity leader (docs/backoffice.md).
TEAM = {"accueil@valdeserables.exemple.ca", "animation@valdeserables.exemple.ca"}
MARIE = "marie.tremblay@exemple.ca"
# Organizations' contacts with an account (presets with organizations: demo, ccq).
HELENE = "helene.demers@exemple.ca"
CONTACTS = {HELENE, "marc.gagne@exemple.ca", "marie-helene.demers@exemple.ca"}
PEOPLE = {
    *CONTACTS,
    MARIE,
    "jean-francois.gagnon@exemple.ca",
    "sophie.cote@exemple.ca",
    "luc.bouchard@exemple.ca",
    "isabelle.roy@exemple.ca",
    "gaston.belanger@exemple.ca",
    "chantal.girard@exemple.ca",
}
APPLICANT = "chantal.girard@exemple.ca"


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_running_twice_creates_each_account_and_address_once():
    load_demo()
    load_demo()

    assert set(Account.objects.values_list("email", flat=True)) == {STAFF, *TEAM, *PEOPLE}
    assert set(Account.objects.filter(is_staff=True).values_list("email", flat=True)) == {
        STAFF,
        *TEAM,
    }
    assert set(StaffRole.objects.values_list("account__email", "role")) == {
        (STAFF, "administration"),
        ("accueil@valdeserables.exemple.ca", "counter"),
        ("animation@valdeserables.exemple.ca", "animation"),
    }
    # The activity leader leads the demo's activities (his rosters and attendance).
    led = OfferingLeader.objects.filter(account__email="animation@valdeserables.exemple.ca")
    assert set(led.values_list("offering__kind", flat=True)) == {"activity"}
    assert led.count() == Offering.objects.filter(kind="activity").count()
    assert Account.objects.filter(is_superuser=True).count() == 1
    assert EmailAddress.objects.count() == Account.objects.count()
    assert EmailAddress.objects.filter(verified=True, primary=True).count() == len(PEOPLE) + 3


@pytest.mark.django_db
def test_every_demo_account_is_confirmed_with_the_published_password():
    load_demo()

    for account in Account.objects.all():
        assert account.check_password(DEMO_PASSWORD), account.email
        assert account.is_active
        assert account.terms_accepted_at is not None
        assert account.first_name and account.last_name
        address = EmailAddress.objects.get(user=account)
        assert (address.email, address.primary, address.verified) == (account.email, True, True)
    assert Account.objects.get(email="jean-francois.gagnon@exemple.ca").first_name == (
        "Jean-François"
    )


@pytest.mark.django_db
def test_running_again_restores_the_password_and_lifts_a_lockout(settings):
    load_demo()
    count = Account.objects.count()
    marie = Account.objects.get(email=MARIE)
    marie.set_password("Un autre mot de passe bien long")
    marie.save()
    for _attempt in range(settings.GUICHET_LOCKOUT_THRESHOLD):
        lockout.register_failure(marie.email)
    assert lockout.locked_until(marie.email) is not None

    load_demo()

    marie.refresh_from_db()
    assert marie.check_password(DEMO_PASSWORD)
    assert lockout.locked_until(marie.email) is None
    assert Account.objects.count() == count


@pytest.mark.django_db
def test_a_demo_person_signs_in_with_the_published_password():
    load_demo()

    response = Client().post(
        reverse("account_login"),
        {"login": "sophie.cote@exemple.ca", "password": DEMO_PASSWORD},
    )

    assert response.status_code == 302
    assert response.url == reverse("dossiers:home")


@pytest.mark.django_db
def test_summary_lists_accounts_password_two_factor_and_mailbox(settings, tmp_path):
    settings.EMAIL_BACKEND = "guichet.core.mail.EmlFileBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")

    out = load_demo()

    for email in {STAFF, *PEOPLE}:
        assert email in out
    assert "Marie Tremblay" in out
    assert DEMO_PASSWORD in out
    assert "two-factor authentication" in out
    assert str(tmp_path / "mail") in out


@pytest.mark.django_db
def test_the_demo_families_are_residents_of_the_demo_city():
    load_demo()

    family = Dossier.objects.filter(number__in=["104523", "104524", "104525", "104601", "104602"])
    assert family.count() == 5
    assert all(dossier.is_resident for dossier in family)


@pytest.mark.django_db
def test_no_receipt_is_dated_before_its_invoice():
    load_demo()

    payments = Payment.objects.select_related("invoice")
    assert payments.exists()
    for payment in payments:
        issued_on = timezone.localdate(payment.invoice.issued_at)
        assert payment.received_on >= issued_on, (payment.invoice.description, issued_on)


# Each preset's demo: who is there, and what each person finds once signed in.
@dataclass(frozen=True)
class Finds:
    """``email`` signs in with the demo password; ``path`` shows every text of ``shows``
    and none of ``hides``."""

    email: str
    path: str
    shows: tuple[str, ...] = ()
    hides: tuple[str, ...] = ()


@dataclass(frozen=True)
class PresetDemo:
    staff: str
    people: set[str]
    finds: list[Finds] = field(default_factory=list)
    offering_kinds: set[str] = field(default_factory=set)


EVERY_KIND = {"training", "event", "activity"}
PRESET_DEMOS: dict[str, PresetDemo] = {
    "demo": PresetDemo(
        STAFF,
        PEOPLE,
        [
            Finds(MARIE, "/mon-dossier/", ("104523",)),
            Finds(MARIE, "/mon-dossier/famille/", ("Léa Tremblay", "Thomas Tremblay")),
            Finds(MARIE, "/mon-dossier/mes-factures/", ("Camp de jour", "Congrès annuel 2027")),
            Finds("isabelle.roy@exemple.ca", "/mon-dossier/", ("Votre droit d'agir",)),
        ],
        EVERY_KIND,
    ),
    "baie-comeau": PresetDemo(
        "admin@baie-comeau.exemple.ca",
        {MARIE, "jean-francois.gagnon@exemple.ca"},
        [
            Finds(MARIE, "/mon-dossier/", ("104523", "Baie-Comeau")),
            Finds(MARIE, "/mon-dossier/famille/", ("Léa Tremblay", "Thomas Tremblay")),
            Finds(
                MARIE,
                "/mon-dossier/mes-factures/",
                ("Camp de jour", "Hockey cosom", "Mes relevés 24"),
                ("Congrès", "gestion contractuelle"),
            ),
            Finds(MARIE, "/inscriptions/mes-inscriptions/", ("Hockey cosom",)),
            Finds(MARIE, "/factures/releve-24/", ("Léa Tremblay", "Thomas Tremblay")),
        ],
        {"activity"},
    ),
    "comaq": PresetDemo(
        "admin@comaq.exemple.ca",
        {MARIE, "jean-francois.gagnon@exemple.ca", APPLICANT},
        [
            Finds(MARIE, "/mon-dossier/", ("104523",)),
            Finds(MARIE, "/adhesion/", ("Membre régulier", "Renouveler mon adhésion")),
            Finds(APPLICANT, "/adhesion/demandes/", ("En cours d'examen par notre personnel",)),
            Finds(MARIE, "/mon-dossier/mes-formations/", ("La gestion contractuelle municipale",)),
            Finds(MARIE, "/mon-dossier/mes-evenements/", ("Congrès annuel 2027",)),
            Finds(
                MARIE,
                "/mon-dossier/mes-factures/",
                ("La gestion contractuelle municipale", "Congrès annuel 2027"),
                ("Camp de jour", "Hockey"),
            ),
        ],
        {"training", "event"},
    ),
    "umq": PresetDemo(
        "admin@umq.exemple.ca",
        {MARIE, "isabelle.roy@exemple.ca", "gaston.belanger@exemple.ca"},
        [
            Finds(MARIE, "/mon-dossier/mes-evenements/", ("Congrès annuel 2027",)),
            Finds(MARIE, "/mon-dossier/mes-factures/", ("Congrès annuel 2027",)),
            Finds("isabelle.roy@exemple.ca", "/mon-dossier/", ("Votre droit d'agir",)),
            Finds("gaston.belanger@exemple.ca", "/mon-dossier/", ("Gaston Bélanger",)),
        ],
        {"event"},
    ),
    "ccq": PresetDemo(
        "admin@ccq.exemple.ca",
        {MARIE, "luc.bouchard@exemple.ca", *CONTACTS},
        [
            Finds(MARIE, "/mon-dossier/", ("104523",)),
            Finds("luc.bouchard@exemple.ca", "/mon-dossier/activer/anciens-acces/", ("anciens",)),
            Finds(HELENE, "/organisation/profil/", ("Syndicat local 1234 de la construction",)),
        ],
    ),
    "caomsc": PresetDemo(
        "admin@caomsc.exemple.ca",
        {MARIE, "sophie.cote@exemple.ca", APPLICANT},
        [
            Finds(MARIE, "/mon-dossier/", ("33163", "Marie Tremblay")),
            Finds("sophie.cote@exemple.ca", "/mon-dossier/activer/membre/", ("matricule",)),
        ],
    ),
}


def test_every_preset_has_a_demo_to_check():
    assert set(PRESET_DEMOS) == set(presets.PRESETS)


@pytest.mark.django_db
@pytest.mark.parametrize("slug", sorted(presets.PRESETS))
def test_each_preset_loads_its_own_operator_and_its_people_find_their_data(settings, slug):
    settings.GUICHET_PRESET = slug
    expected = PRESET_DEMOS[slug]

    out = load_demo()
    load_demo()  # idempotent under every preset

    operator = presets.by_name(slug)
    assert operator.operator_name in out
    staff = Account.objects.filter(is_staff=True, is_superuser=True)
    assert list(staff.values_list("email", flat=True)) == [expected.staff]
    domain = expected.staff.partition("@")[2]
    team = set(
        Account.objects.filter(is_staff=True, is_superuser=False).values_list("email", flat=True)
    )
    assert team == {
        f"{who}@{domain}"
        for who, kind in (("accueil", None), ("animation", "activity"))
        if operator.has(presets.Feature.CATALOG) and (kind is None or operator.offers(kind))
    }
    people = set(Account.objects.filter(is_staff=False).values_list("email", flat=True))
    assert people == expected.people
    assert set(Offering.objects.values_list("kind", flat=True)) == expected.offering_kinds
    if not operator.has(presets.Feature.BILLING):
        assert not Invoice.objects.exists()
    if not operator.has(presets.Feature.HOUSEHOLDS):
        assert not DossierLink.objects.filter(role="guardian").exists()
    # Every dossier number fits what the operator's linking forms accept.
    for number in Dossier.objects.values_list("number", flat=True):
        assert re.fullmatch(operator.dossier_number_pattern, number), number

    for email in {expected.staff, *expected.people}:
        client = Client()
        response = client.post(
            reverse("account_login"), {"login": email, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, email
    for finds in expected.finds:
        client = Client()
        client.post(reverse("account_login"), {"login": finds.email, "password": DEMO_PASSWORD})
        response = client.get(finds.path)
        assert response.status_code == 200, (finds.email, finds.path)
        page = text_of(response)
        for text in finds.shows:
            assert text in page, (finds.email, finds.path, text)
        for text in finds.hides:
            assert text not in page, (finds.email, finds.path, text)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("slug", "members", "others"),
    [
        ("comaq", ["104523"], ["104601"]),
        ("caomsc", ["33163", "00875", "01234"], []),
        ("baie-comeau", [], ["104523", "104524"]),
    ],
)
def test_members_are_members_where_the_operator_serves_members(settings, slug, members, others):
    settings.GUICHET_PRESET = slug
    load_demo()

    today = timezone.localdate()
    for number in members:
        assert Dossier.objects.get(number=number).is_member_on(today), number
    for number in others:
        assert not Dossier.objects.get(number=number).is_member_on(today), number


@pytest.mark.django_db
def test_the_umq_super_user_holds_a_delegation_in_force(settings):
    settings.GUICHET_PRESET = "umq"
    load_demo()
    load_demo()

    delegations = Delegation.objects.filter(account__email="isabelle.roy@exemple.ca")
    assert delegations.count() == 1
    assert delegations.in_force(timezone.localdate()).exists()

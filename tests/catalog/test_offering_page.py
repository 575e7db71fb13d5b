"""One offering's page: what it is, when it opens, who may register, and at what price."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from guichet.catalog.models import OfferingKind, OptionKind, QuestionKind
from guichet.dossiers.models import LinkRole
from tests.catalog.factories import (
    OfferingDocumentFactory,
    OfferingFactory,
    OptionFactory,
    QuestionFactory,
    SessionFactory,
)
from tests.dossiers.factories import ChildDossierFactory, DossierLinkFactory
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 30, 23, 55, tzinfo=datetime.UTC)  # 18 h 55 in Montreal
OPENS = datetime.datetime(2026, 12, 1, 0, 0, tzinfo=datetime.UTC)  # 19 h 00 in Montreal


def url(offering) -> str:
    return reverse("catalog:detail", args=[offering.slug])


def congress():
    offering = OfferingFactory(
        kind=OfferingKind.EVENT,
        title="Congrès annuel 2027",
        slug="congres-annuel-2027",
        description="Le rendez-vous annuel.",
        place="Centre des congrès de Québec",
        schedule="8 h 30 à 17 h 00",
        member_price=Decimal("695.00"),
        non_member_price=Decimal("895.00"),
        capacity=800,
        spots_taken=797,
    )
    OptionFactory(offering=offering, name="Soirée gala", price=Decimal("150.00"), position=1)
    OptionFactory(
        offering=offering,
        name="Accompagnateur au gala",
        kind=OptionKind.COMPANION,
        price=Decimal("175.00"),
        card_only=True,
        position=2,
    )
    QuestionFactory(offering=offering, label="Restrictions alimentaires")
    QuestionFactory(
        offering=offering, label="Atelier choisi", kind=QuestionKind.CHOICE, required=True
    )
    SessionFactory(offering=offering)
    return offering


def test_page_describes_the_offering(client):
    offering = congress()

    page = text_of(client.get(url(offering)))

    assert "<h1>Congrès annuel 2027</h1>" in page
    assert "Le rendez-vous annuel." in page
    assert "Centre des congrès de Québec" in page
    assert "8 h 30 à 17 h 00" in page
    assert "695,00 $" in page and "895,00 $" in page
    assert "3 places restantes" in page


def test_page_lists_options_with_the_card_only_mark_and_questions(client):
    page = text_of(client.get(url(congress())))

    assert "Soirée gala — 150,00 $" in page
    assert "Accompagnateur au gala — 175,00 $ (accompagnateur) — " in page
    assert "paiement par carte seulement" in page
    assert "Restrictions alimentaires" in page
    assert "Atelier choisi (obligatoire)" in page


def test_sessions_are_shown_in_montreal_time(client):
    offering = OfferingFactory()
    SessionFactory(
        offering=offering,
        starts_at=datetime.datetime(2027, 1, 12, 23, 30, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2027, 1, 13, 0, 30, tzinfo=datetime.UTC),
    )

    page = text_of(client.get(url(offering)))

    assert "<td>12 janvier 2027</td><td>18 h 30 – 19 h 30</td>" in page


def test_training_documents_are_named_not_linked(client):
    document = OfferingDocumentFactory(offering=OfferingFactory(kind=OfferingKind.TRAINING))

    response = client.get(url(document.offering))

    assert document.title in text_of(response)
    assert document.file.url not in text_of(response)


@time_machine.travel(NOW, tick=False)
def test_before_opening_the_page_shows_the_server_opening_time_and_a_countdown(client):
    offering = OfferingFactory(registration_opens_at=OPENS)

    page = text_of(client.get(url(offering)))

    assert "Les inscriptions ouvriront le 30 novembre 2026 à 19 h (heure du Québec)." in page
    assert 'data-opens-at="2026-11-30T19:00:00-05:00"' in page
    assert 'data-server-now="2026-11-30T18:55:00-05:00"' in page
    assert "catalog/countdown.js" in page


@time_machine.travel(OPENS, tick=False)
def test_at_the_opening_minute_the_page_says_it_is_open(client):
    offering = OfferingFactory(registration_opens_at=OPENS)

    page = text_of(client.get(url(offering)))

    assert "Inscriptions ouvertes jusqu'au" in page
    assert "data-countdown" not in page
    assert "countdown.js" not in page


def test_eligibility_summary_lists_the_rules(client):
    offering = OfferingFactory(
        min_age=6, max_age=8, starts_on=datetime.date(2030, 1, 10), residents_only=True
    )

    page = text_of(client.get(url(offering)))

    assert "Cette activité est offerte aux 6 à 8 ans (âge au 10 janvier 2030)." in page
    assert "Cette activité est réservée aux résidents." in page


def test_signed_in_guardian_sees_who_in_the_family_fits(client, account):
    offering = OfferingFactory(min_age=6, max_age=8, starts_on=datetime.date(2030, 1, 10))
    DossierLinkFactory(
        account=account,
        role=LinkRole.GUARDIAN,
        dossier=ChildDossierFactory(first_name="Léa", birth_date=datetime.date(2022, 9, 1)),
    )
    DossierLinkFactory(
        account=account,
        role=LinkRole.GUARDIAN,
        dossier=ChildDossierFactory(first_name="Thomas", birth_date=datetime.date(2016, 1, 1)),
    )
    client.force_login(account)

    page = text_of(client.get(url(offering)))

    assert "Léa " in page
    assert "Thomas " in page
    assert ": admissible" in page  # Léa, 7 on 2030-01-10
    assert ": Cette activité est offerte aux 6 à 8 ans" in page  # Thomas, 13


def test_unpublished_offering_is_not_found_for_visitors_and_outsiders(client, outsider):
    offering = OfferingFactory(published=False)

    assert client.get(url(offering)).status_code == 404
    client.force_login(outsider)
    assert client.get(url(offering)).status_code == 404


def test_staff_preview_an_unpublished_offering(staff_client):
    offering = OfferingFactory(published=False, title="Brouillon")

    page = text_of(staff_client.get(url(offering)))

    assert "Non publiée : seul le personnel voit cette page." in page


def test_unknown_slug_is_not_found(client):
    assert client.get("/catalogue/rien-de-tel/").status_code == 404


def test_no_register_button_until_the_registration_start_page_exists(client, monkeypatch):
    offering = OfferingFactory()
    from guichet.catalog import views

    monkeypatch.setattr(views, "register_url", lambda o: f"/inscriptions/{o.slug}/")
    shown = text_of(client.get(url(offering)))
    monkeypatch.setattr(views, "register_url", lambda o: "")
    hidden = text_of(client.get(url(offering)))

    assert f'href="/inscriptions/{offering.slug}/">S\'inscrire</a>' in shown
    assert "S'inscrire</a>" not in hidden


def test_register_url_is_empty_while_registrations_start_is_missing_or_the_real_one():
    from django.urls import NoReverseMatch

    from guichet.catalog.views import register_url

    offering = OfferingFactory.build(slug="yoga")
    try:
        expected = reverse("registrations:start", args=["yoga"])
    except NoReverseMatch:
        expected = ""
    assert register_url(offering) == expected


def test_closed_offering_has_no_register_button(client, monkeypatch):
    from guichet.catalog import views

    monkeypatch.setattr(views, "register_url", lambda o: "/inscriptions/x/")
    offering = OfferingFactory(
        registration_opens_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
        registration_closes_at=datetime.datetime(2020, 2, 1, tzinfo=datetime.UTC),
        change_deadline=datetime.datetime(2020, 1, 15, tzinfo=datetime.UTC),
    )

    page = text_of(client.get(url(offering)))

    assert "Les inscriptions sont terminées." in page
    assert "S'inscrire</a>" not in page


@pytest.mark.parametrize("extra", [0, 10])
def test_offering_page_queries_stay_flat(client, account, django_assert_max_num_queries, extra):
    offering = congress()
    for _ in range(extra):
        OptionFactory(offering=offering)
        QuestionFactory(offering=offering)
        SessionFactory(offering=offering)
        DossierLinkFactory(account=account, role=LinkRole.GUARDIAN, dossier=ChildDossierFactory())
    client.force_login(account)

    with django_assert_max_num_queries(14):
        response = client.get(url(offering))

    assert response.status_code == 200

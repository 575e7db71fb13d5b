"""« Mes formations », « Mes évènements » and the household's registrations."""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guichet.catalog.models import Option
from guichet.dossiers.models import LinkRole
from guichet.registrations.models import RegistrationOption, RegistrationStatus
from tests.dossiers.factories import ChildDossierFactory, DossierLinkFactory
from tests.registrations.factories_mine import (
    DocumentFactory,
    EventFactory,
    OfferingFactory,
    RegistrationFactory,
    days_from_today,
    holder_of,
)
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db
MONTREAL = ZoneInfo("America/Montreal")


@pytest.fixture
def me(client, account):
    dossier = holder_of(account, first_name="Julie", last_name="Gagnon")
    client.force_login(account)
    return dossier


def test_my_trainings_show_the_offering_dates_status_and_amount(client, account, me):
    offering = OfferingFactory(
        title="Gestion des archives",
        starts_on=datetime.date(2031, 3, 4),
        ends_on=datetime.date(2031, 3, 5),
    )
    RegistrationFactory(offering=offering, participant=me, registered_by=account)

    html = text_of(client.get(reverse("dossiers:trainings")))

    assert "Gestion des archives" in html
    assert "Du 4 mars 2031 au 5 mars 2031" in html
    assert "Inscription confirmée" in html
    assert "125,00 $" in html
    assert "Julie Gagnon (moi)" in html
    assert reverse("registrations:mine") in html
    assert html.count("<h1>") == 1
    assert '<a href="/mon-dossier/mes-formations/" aria-current="page">' in html


def test_amount_due_includes_the_options_chosen(client, account, me):
    event = EventFactory(title="Congrès 2031")
    registration = RegistrationFactory(
        offering=event, participant=me, registered_by=account, unit_price=Decimal("450.00")
    )
    gala = Option.objects.create(offering=event, name="Soirée gala", price=Decimal("95.00"))
    RegistrationOption.objects.create(
        registration=registration, option=gala, quantity=2, unit_price=Decimal("95.00")
    )

    html = text_of(client.get(reverse("dossiers:events")))

    assert "Congrès 2031" in html
    assert "Soirée gala × 2" in html
    assert "640,00 $" in html


def test_trainings_and_events_are_listed_apart(client, account, me):
    RegistrationFactory(offering=OfferingFactory(title="Formation A"), participant=me)
    RegistrationFactory(offering=EventFactory(title="Évènement B"), participant=me)

    trainings = text_of(client.get(reverse("dossiers:trainings")))
    events = text_of(client.get(reverse("dossiers:events")))

    assert "Formation A" in trainings and "Évènement B" not in trainings
    assert "Évènement B" in events and "Formation A" not in events


def test_each_status_reads_in_french(client, account, me):
    offered_until = datetime.datetime(2031, 5, 2, 14, 30, tzinfo=MONTREAL)
    rows = {
        "Place retenue": RegistrationStatus.HELD,
        "Inscrit, en attente de paiement": RegistrationStatus.PENDING_PAYMENT,
        "Inscription annulée": RegistrationStatus.CANCELLED,
    }
    for title, status in rows.items():
        RegistrationFactory(
            offering=OfferingFactory(title=f"F {title}"), participant=me, status=status
        )
    RegistrationFactory(
        offering=OfferingFactory(title="F offerte"),
        participant=me,
        status=RegistrationStatus.OFFERED,
        offer_expires_at=offered_until,
    )
    RegistrationFactory(
        offering=OfferingFactory(title="F expirée"),
        participant=me,
        status=RegistrationStatus.EXPIRED,
    )

    html = text_of(client.get(reverse("dossiers:trainings")))

    assert "Place retenue, inscription à compléter" in html
    assert "Inscrit, en attente de paiement" in html
    assert "Inscription annulée" in html
    assert "Une place vous est offerte : répondez avant le 2 mai 2031 à 14 h 30" in html
    assert "F expirée" not in html  # a hold that lapsed is not a registration


def test_offer_deadline_is_shown_in_montreal_time_across_the_change_to_standard_time(
    client, account, me
):
    # 2026-11-01 06:30 UTC is 01:30 in Montreal, after clocks went back (EDT -> EST).
    deadline = datetime.datetime(2026, 11, 1, 6, 30, tzinfo=datetime.UTC)
    RegistrationFactory(
        offering=OfferingFactory(),
        participant=me,
        status=RegistrationStatus.OFFERED,
        offer_expires_at=deadline,
    )

    html = text_of(client.get(reverse("dossiers:trainings")))

    assert "répondez avant le 1er novembre 2026 à 1 h 30" in html


def test_waiting_list_shows_the_place_in_line(client, account, me):
    offering = OfferingFactory()
    start = timezone.now() - datetime.timedelta(hours=3)
    RegistrationFactory(offering=offering, status="waiting", created_at=start)
    RegistrationFactory(offering=offering, status="cancelled", created_at=start)
    RegistrationFactory(
        offering=offering,
        participant=me,
        status="waiting",
        created_at=start + datetime.timedelta(hours=1),
    )
    RegistrationFactory(
        offering=offering, status="waiting", created_at=start + datetime.timedelta(hours=2)
    )

    html = text_of(client.get(reverse("dossiers:trainings")))

    assert "Sur la liste d'attente (position 2)" in html


def test_guardian_sees_the_childs_registration_with_its_name(client, account, me):
    child = ChildDossierFactory(first_name="Léo", last_name="Gagnon")
    DossierLinkFactory(account=account, dossier=child, role=LinkRole.GUARDIAN)
    RegistrationFactory(
        offering=EventFactory(title="Camp de jour"),
        participant=child,
        registered_by=account,
        right="guardian",
    )

    for name in ("dossiers:events", "registrations:mine"):
        html = text_of(client.get(reverse(name)))
        assert "Camp de jour" in html
        assert "Léo Gagnon" in html
        assert "Léo Gagnon (moi)" not in html


def test_delegate_sees_the_people_they_registered(client, account, me):
    other = RegistrationFactory(
        offering=EventFactory(title="Assises annuelles"), registered_by=account, right="delegate"
    )

    html = text_of(client.get(reverse("dossiers:events")))

    assert "Assises annuelles" in html
    assert other.participant.display_name in html


def test_person_registered_by_a_delegate_sees_who_registered_them(client, account, me):
    RegistrationFactory(
        offering=EventFactory(),
        participant=me,
        registered_by__first_name="Denis",
        registered_by__last_name="Délégué",
    )

    html = text_of(client.get(reverse("dossiers:events")))

    assert "Inscrit par" in html and "Denis Délégué" in html


def test_nobody_sees_anothers_registrations(client, account, me):
    RegistrationFactory(offering=OfferingFactory(title="Pas pour moi"))

    for name in ("dossiers:trainings", "registrations:mine"):
        html = text_of(client.get(reverse(name)))
        assert "Pas pour moi" not in html
    assert "Aucune formation pour l'instant." in text_of(client.get(reverse("dossiers:trainings")))


def test_attended_training_offers_the_confirmation_and_every_document(client, account, me):
    offering = OfferingFactory()
    DocumentFactory(offering=offering, title="Cahier")
    DocumentFactory(offering=offering, title="Corrigé", after_attendance=True)
    registration = RegistrationFactory(offering=offering, participant=me, attended=True)

    html = text_of(client.get(reverse("dossiers:trainings")))

    assert "Attestation de présence (PDF)" in html
    assert reverse("registrations:attendance_pdf", args=[registration.pk]) in html
    assert "Cahier" in html and "Corrigé" in html


def test_confirmed_training_before_attendance_shows_only_the_documents_given_before(
    client, account, me
):
    offering = OfferingFactory()
    DocumentFactory(offering=offering, title="Cahier")
    DocumentFactory(offering=offering, title="Corrigé", after_attendance=True)
    RegistrationFactory(offering=offering, participant=me)

    html = text_of(client.get(reverse("dossiers:trainings")))

    assert "Cahier" in html and "Corrigé" not in html
    assert "Attestation de présence" not in html


def test_modify_and_cancel_links_before_the_deadline(client, account, me):
    registration = RegistrationFactory(offering=OfferingFactory(), participant=me)

    html = text_of(client.get(reverse("dossiers:trainings")))

    assert f'href="{reverse("registrations:modify", args=[registration.pk])}">Modifier<' in html
    assert f'href="{reverse("registrations:cancel", args=[registration.pk])}">Annuler<' in html
    assert reverse("registrations:detail", args=[registration.pk]) in html


def test_offered_spot_links_to_the_offer_and_held_spot_to_completion(client, account, me):
    offered = RegistrationFactory(
        offering=OfferingFactory(), participant=me, status=RegistrationStatus.OFFERED
    )
    held = RegistrationFactory(
        offering=OfferingFactory(), participant=me, status=RegistrationStatus.HELD
    )

    html = text_of(client.get(reverse("dossiers:trainings")))

    assert (
        f'href="{reverse("registrations:offer", args=[offered.pk])}">Répondre à l\'offre<' in html
    )
    detail = reverse("registrations:detail", args=[held.pk])
    assert f'href="{detail}">Compléter l\'inscription<' in html


def test_no_modify_or_cancel_after_the_deadline(client, account, me):
    offering = OfferingFactory(change_deadline=timezone.now() - datetime.timedelta(minutes=1))
    RegistrationFactory(offering=offering, participant=me)

    html = text_of(client.get(reverse("dossiers:trainings")))

    assert ">Modifier<" not in html and ">Annuler<" not in html


def test_past_trainings_come_after_upcoming_ones(client, account, me):
    RegistrationFactory(
        offering=OfferingFactory(
            title="Passée", starts_on=days_from_today(-40), ends_on=days_from_today(-39)
        ),
        participant=me,
    )
    RegistrationFactory(offering=OfferingFactory(title="À venir"), participant=me)

    html = text_of(client.get(reverse("dossiers:trainings")))

    assert html.index("À venir") < html.index("Passées") < html.index("Passée<")


def test_guardian_only_account_sees_the_notice_and_the_household_registrations(client, account):
    child = ChildDossierFactory(first_name="Zoé")
    DossierLinkFactory(account=account, dossier=child, role=LinkRole.GUARDIAN)
    RegistrationFactory(
        offering=OfferingFactory(title="Initiation"),
        participant=child,
        registered_by=account,
        right="guardian",
    )
    client.force_login(account)

    html = text_of(client.get(reverse("dossiers:trainings")))

    assert "pas encore lié à votre propre dossier" in html
    assert "Initiation" in html and "Zoé" in html


def many_registrations(account, me, count: int) -> None:
    option = Option.objects.create(offering=OfferingFactory(), name="Dîner", price=Decimal("20"))
    for n in range(count):
        offering = OfferingFactory()
        DocumentFactory(offering=offering)
        registration = RegistrationFactory(
            offering=offering, participant=me, attended=n % 2 == 0, status="confirmed"
        )
        RegistrationOption.objects.create(
            registration=registration, option=option, unit_price=Decimal("20")
        )
        RegistrationFactory(offering=offering, registered_by=account, status="waiting")


@pytest.mark.parametrize("name", ["dossiers:trainings", "registrations:mine"])
def test_query_count_stays_flat_with_many_registrations(client, account, me, name):
    many_registrations(account, me, 2)
    client.get(reverse(name))
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(name)).status_code == 200
    many_registrations(account, me, 20)
    with CaptureQueriesContext(connection) as many:
        html = text_of(client.get(reverse(name)))
    assert html.count("Attestation de présence (PDF)") == 11
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(many.captured_queries) <= 12


def test_listing_speaks_english_on_request(client, account, me):
    RegistrationFactory(
        offering=OfferingFactory(title="Archives", title_en="Records"), participant=me
    )
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    html = text_of(client.get(reverse("dossiers:trainings")))

    assert "My trainings" in html and "Records" in html
    assert "Registration confirmed" in html and "$125.00" in html

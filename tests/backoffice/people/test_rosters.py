"""Rosters per offering for every kind: participants, contacts, options, payment, the
answers to questions for the roles that need them (each view registered), the waiting
list in order, exports, and who leads what."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from guichet.audit.models import Action, AuditEvent
from guichet.backoffice.models import OfferingLeader
from guichet.core.roles import Role
from guichet.registrations.models import RegistrationStatus
from tests.backoffice.people.support import day_camp, family_child, with_option
from tests.registrations.factories_mine import (
    EventFactory,
    OfferingFactory,
    RegistrationFactory,
)
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db


def url(name, offering, **query):
    path = reverse(f"backoffice:{name}", args=[offering.pk])
    if query:
        path += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return path


def test_the_registrar_reads_participants_contacts_options_payment_and_waiting_list(
    staff_with, client_of
):
    camp = day_camp()
    lea = family_child(camp, status=RegistrationStatus.PENDING_PAYMENT)
    with_option(lea)
    first = RegistrationFactory(offering=camp, status=RegistrationStatus.WAITING)
    second = RegistrationFactory(offering=camp, status=RegistrationStatus.WAITING)
    first.created_at, second.created_at = second.created_at, first.created_at
    first.save(update_fields=["created_at"])
    second.save(update_fields=["created_at"])

    page = text_of(client_of(staff_with(Role.REGISTRAR)).get(url("roster", camp)))

    assert "Léa Tremblay" in page
    assert "Marie Tremblay" in page and "418 555-0199" in page
    assert "Service de garde" in page
    assert "En attente de paiement" in page
    assert "Arachides" not in page  # the answers are on their own page
    waiting = page[page.index("Liste d'attente") :]
    assert waiting.index(second.participant.display_name) < waiting.index(
        first.participant.display_name
    )


@pytest.mark.parametrize("factory", [day_camp, OfferingFactory, EventFactory])
def test_every_kind_has_a_roster(staff_with, client_of, factory):
    offering = factory()
    registration = RegistrationFactory(offering=offering)
    page = text_of(client_of(staff_with(Role.COUNTER)).get(url("roster", offering)))
    assert registration.participant.display_name in page


def test_answers_are_for_the_registrar_and_each_view_is_registered(staff_with, client_of):
    camp = day_camp()
    lea = family_child(camp)
    registrar = staff_with(Role.REGISTRAR)

    page = text_of(client_of(registrar).get(url("roster_answers", camp)))
    assert "Arachides" in page

    seen = AuditEvent.objects.get(action=Action.STAFF_VIEWED, dossier=lea.participant)
    assert seen.data == {"what": "roster_answers", "viewed_by": registrar.pk}
    assert seen.role == Role.REGISTRAR
    # The plain roster shows the participants, without the answers: recorded as a roster.
    client_of(registrar).get(url("roster", camp))
    assert list(
        AuditEvent.objects.filter(action=Action.STAFF_VIEWED, dossier=lea.participant)
        .order_by("pk")
        .values_list("data__what", flat=True)
    ) == ["roster_answers", "roster"]


def test_the_counter_sees_the_roster_but_never_the_answers(staff_with, client_of):
    camp = day_camp()
    family_child(camp)
    client = client_of(staff_with(Role.COUNTER))
    assert client.get(url("roster", camp)).status_code == 200
    assert "réponses" not in text_of(client.get(url("roster", camp))).lower()
    assert client.get(url("roster_answers", camp)).status_code == 404
    assert client.get(url("roster_answers_export", camp, format="csv")).status_code == 404
    # The roster they opened is recorded as such; no answers were shown.
    assert not AuditEvent.objects.filter(
        action=Action.STAFF_VIEWED, data__what="roster_answers"
    ).exists()


@pytest.mark.parametrize("role", [Role.ACCOUNTING, Role.PRIVACY])
def test_other_roles_get_404(staff_with, client_of, role):
    camp = day_camp()
    client = client_of(staff_with(role))
    for name in ("roster", "roster_answers", "roster_export", "attendance"):
        assert client.get(url(name, camp)).status_code == 404, name
    assert client.get(reverse("backoffice:rosters")).status_code == 404


def test_an_activity_leader_sees_only_the_offerings_they_lead(staff_with, client_of):
    theirs, other = day_camp(title="Camp des Explorateurs"), day_camp(title="Camp Arts")
    family_child(theirs)
    leader = staff_with(Role.ANIMATION)
    OfferingLeader.objects.create(offering=theirs, account=leader)
    client = client_of(leader)

    listing = text_of(client.get(reverse("backoffice:rosters")))
    assert "Camp des Explorateurs" in listing and "Camp Arts" not in listing
    assert "Arachides" in text_of(client.get(url("roster_answers", theirs)))
    for name in ("roster", "roster_answers", "roster_export", "attendance"):
        assert client.get(url(name, other)).status_code == 404, name


def test_the_registrar_names_the_leaders_audited(staff_with, client_of):
    camp = day_camp()
    animator = staff_with(Role.ANIMATION, first_name="Samuel")
    registrar = staff_with(Role.REGISTRAR)
    client = client_of(registrar)
    assert "Samuel" in text_of(client.get(url("roster", camp)))

    client.post(url("roster_leaders", camp), {"ajouter": animator.pk})
    assert OfferingLeader.objects.filter(offering=camp, account=animator).exists()
    event = AuditEvent.objects.get(action=Action.LEADER_ADDED)
    assert (event.actor, event.subject, event.role) == (registrar, animator, Role.REGISTRAR)

    # A staff account without the Animation role cannot be named.
    clerk = staff_with(Role.COUNTER)
    client.post(url("roster_leaders", camp), {"ajouter": clerk.pk})
    assert not OfferingLeader.objects.filter(account=clerk).exists()

    client.post(url("roster_leaders", camp), {"retirer": animator.pk})
    assert not OfferingLeader.objects.filter(offering=camp).exists()
    assert AuditEvent.objects.filter(action=Action.LEADER_REMOVED, subject=animator).exists()
    # Animation cannot name leaders.
    assert (
        client_of(animator).post(url("roster_leaders", camp), {"ajouter": animator.pk}).status_code
        == 404
    )


def test_csv_export_has_the_chosen_columns_and_neutralizes_formulas(staff_with, client_of):
    camp = day_camp()
    family_child(camp, allergy='=HYPERLINK("http://x")')
    client = client_of(staff_with(Role.REGISTRAR))
    response = client.get(
        url("roster_answers_export", camp, format="csv")
        + "&colonnes=last_name&colonnes=first_name&colonnes=q"
        + str(camp.questions.get().pk)
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Liste", "Nom", "Prénom", "Allergies"]
    assert rows[1] == ["Inscrits", "Tremblay", "Léa", '\'=HYPERLINK("http://x")']
    assert response["Content-Disposition"].startswith("attachment;")

    # Without the answers page, no answer column is offered.
    plain = client.get(url("roster_export", camp, format="csv") + "&colonnes=q1")
    assert "Arachides" not in plain.content.decode("utf-8-sig")
    assert "Allergies" not in plain.content.decode("utf-8-sig")


def test_xlsx_and_pdf(staff_with, client_of):
    camp = day_camp()
    family_child(camp)
    client = client_of(staff_with(Role.REGISTRAR))
    book = load_workbook(io.BytesIO(client.get(url("roster_export", camp, format="xlsx")).content))
    values = list(book.active.iter_rows(values_only=True))
    assert values[0][:3] == ("Liste", "Numéro de dossier", "Nom")
    assert values[1][2:4] == ("Tremblay", "Léa")
    pdf = client.get(url("roster_export", camp, format="pdf"))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client.get(url("roster_export", camp, format="exe")).status_code == 404


def test_the_roster_reads_in_flat_queries(staff_with, client_of, django_assert_max_num_queries):
    camp = day_camp()
    client = client_of(staff_with(Role.REGISTRAR))

    def count(path):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    for index in range(2):
        with_option(family_child(camp, first_name=f"Enfant{index}"))
    RegistrationFactory(offering=camp, status=RegistrationStatus.WAITING)
    few = {name: count(url(name, camp)) for name in ("roster", "roster_export")}
    for index in range(15):
        with_option(family_child(camp, first_name=f"Autre{index}"))
        RegistrationFactory(offering=camp, status=RegistrationStatus.WAITING)
    many = {name: count(url(name, camp)) for name in ("roster", "roster_export")}
    assert many == few
    with django_assert_max_num_queries(20):
        client.get(url("roster", camp))

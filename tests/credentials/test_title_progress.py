"""« Titre OMA et attestations »: progress toward obtaining and keeping the OMA title,
computed from the trainings a person attended (COMAQ's rules, seeded from its preset)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from guichet.audit.models import Action, AuditEvent
from guichet.credentials import progress
from guichet.credentials.models import Attestation, AttestationKind, TitleAward
from guichet.credentials.services.programs import current_program
from guichet.registrations.services.attendance import mark_attendance
from tests.credentials.cast import attended, end_membership, member_of, past_training
from tests.registrations.factories_mine import OfferingFactory, RegistrationFactory, days_from_today
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db
URL = "/mon-dossier/titre-et-attestations/"


def standing(dossier):
    return progress.progress(current_program(), dossier, timezone.localdate())


def test_the_program_is_seeded_from_the_preset_and_staff_edits_stay(comaq):
    program = current_program()
    assert program.title == "OMA"
    assert program.hours_to_obtain == Decimal("45")
    assert [c.code for c in program.required_courses.all()] == ["OMA-101", "OMA-102", "OMA-103"]
    program.hours_to_obtain = Decimal("50")
    program.save()
    assert current_program().hours_to_obtain == Decimal("50")


def test_progress_moves_when_staff_mark_attendance(comaq, account, staff):
    dossier = member_of(account)
    training = past_training("OMA-101-2026", hours="14")
    registration = RegistrationFactory(offering=training, participant=dossier)
    before = standing(dossier)
    assert before.hours == 0 and before.percent == 0

    mark_attendance(training, [registration.pk], actor=staff)

    after = standing(dossier)
    assert after.hours == Decimal("14")
    assert [c.course.code for c in after.courses if c.done] == ["OMA-101"]
    assert after.percent > before.percent
    assert after.hours_missing == Decimal("31")
    attestation = Attestation.objects.get(registration=registration)
    assert attestation.kind == AttestationKind.ATTENDANCE
    assert attestation.hours == Decimal("14.0")
    assert AuditEvent.objects.filter(action=Action.ATTESTATION_ISSUED, dossier=dossier).exists()


def test_attendance_withdrawn_revokes_its_attestation_and_the_hours(comaq, account, staff):
    dossier = member_of(account)
    registration = attended(dossier, past_training(hours="7"), by=staff)
    assert standing(dossier).hours == Decimal("7")

    mark_attendance(registration.offering, [], actor=staff)

    assert standing(dossier).hours == 0
    attestation = Attestation.objects.get(registration=registration)
    assert attestation.is_revoked
    assert attestation.revocation_reason


def test_trainings_outside_the_window_do_not_count(comaq, account, staff):
    dossier = member_of(account)
    attended(dossier, past_training(hours="20", ago=6 * 365), by=staff)
    attended(dossier, past_training(hours="10", ago=20), by=staff)
    assert standing(dossier).hours == Decimal("10")


def test_the_title_is_awarded_once_every_rule_is_met_with_its_certificate(comaq, account, staff):
    dossier = member_of(account)
    attended(dossier, past_training("OMA-101-A", hours="15", ago=200), by=staff)
    attended(dossier, past_training("OMA-102-A", hours="15", ago=100), by=staff)
    assert not TitleAward.objects.exists()
    attended(dossier, past_training("OMA-103-A", hours="15", ago=10), by=staff)

    award = TitleAward.objects.get(dossier=dossier)
    assert award.awarded_on == days_from_today(-10)
    certificate = Attestation.objects.get(award=award)
    assert certificate.kind == AttestationKind.TITLE
    assert "Officier municipal agréé (OMA)" in certificate.subject
    assert AuditEvent.objects.filter(action=Action.TITLE_AWARDED, dossier=dossier).count() == 1
    state = standing(dossier)
    assert state.award == award
    assert state.maintenance.required == Decimal("20")
    assert state.maintenance.hours == 0


def test_a_non_member_meets_the_hours_but_is_not_awarded(comaq, account, staff):
    dossier = member_of(account)
    end_membership(dossier, ended=None)
    for code in ("OMA-101", "OMA-102", "OMA-103"):
        attended(dossier, past_training(code, hours="15"), by=staff)
    state = standing(dossier)
    assert state.requirements_met and state.membership_missing
    assert not TitleAward.objects.exists()


def test_the_section_shows_progress_what_is_missing_and_trainings_that_count(
    comaq, client, account, staff
):
    dossier = member_of(account)
    first = past_training("OMA-101-2026", hours="14", title="Rôle de l'officier")
    attended(dossier, first, by=staff)
    OfferingFactory(code="OMA-102-2027", title="Budget municipal avancé", hours=Decimal("7"))
    client.force_login(account)

    html = text_of(client.get(URL))

    assert "<h1>Titre OMA et attestations</h1>" in html
    assert "Progrès vers le titre OMA" in html
    assert "14 h sur 45 h" in html
    assert "31 h de formation" in html
    assert "Gestion budgétaire municipale" in html
    assert "Formations qui compteraient" in html
    assert 'href="/catalogue/' in html and "Budget municipal avancé" in html
    assert "Attestation de présence" in html
    assert ">Voir<" in html or ">Voir<span" in html


def test_the_section_is_absent_where_the_preset_has_no_titles(settings, client, account):
    settings.GUICHET_PRESET = "baie-comeau"
    client.force_login(account)
    assert client.get(URL).status_code == 404


def test_the_section_query_count_does_not_grow_with_trainings(
    comaq, client, account, staff, django_assert_max_num_queries
):
    dossier = member_of(account)
    for ago in range(5, 60, 5):
        attended(dossier, past_training(hours="2", ago=ago), by=staff)
    current_program()
    client.force_login(account)
    with django_assert_max_num_queries(16):
        response = client.get(URL)
    assert response.status_code == 200

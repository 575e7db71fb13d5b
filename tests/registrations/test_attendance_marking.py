"""Staff mark attendance to a training: one « Présent » box per confirmed registration."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.urls import reverse

from guichet.audit.models import Action, AuditEvent, Right
from guichet.catalog.models import Session
from guichet.registrations.models import Registration
from guichet.registrations.services.attendance import AttendanceTooEarly, mark_attendance
from tests.registrations.factories_mine import (
    EventFactory,
    OfferingFactory,
    RegistrationFactory,
    days_from_today,
)
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client, staff):
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(staff)
    return client


@pytest.fixture
def training():
    """A training that started yesterday: attendance may be marked."""
    return OfferingFactory(title="Budget municipal", starts_on=days_from_today(-1))


def page_url(offering) -> str:
    return reverse("registrations:attendance", args=[offering.pk])


def test_staff_see_only_confirmed_registrations(desk, training):
    confirmed = RegistrationFactory(offering=training, participant__first_name="Alice")
    RegistrationFactory(offering=training, status="waiting", participant__first_name="Bruno")
    RegistrationFactory(offering=training, status="cancelled", participant__first_name="Chloé")

    html = text_of(desk.get(page_url(training)))

    assert "Présences : Budget municipal" in html
    assert confirmed.participant.display_name in html
    assert "Bruno" not in html and "Chloé" not in html
    assert html.count('type="checkbox" name="present"') == 1


def test_saving_marks_checked_present_and_others_absent_with_an_audit_row_each(
    desk, staff, training
):
    present = RegistrationFactory(offering=training)
    absent = RegistrationFactory(offering=training)

    response = desk.post(page_url(training), {"present": [present.pk]}, follow=True)

    assert "Présences enregistrées (2 changements)." in text_of(response)
    present.refresh_from_db()
    absent.refresh_from_db()
    assert present.attended is True and absent.attended is False
    events = AuditEvent.objects.filter(action=Action.ATTENDANCE_MARKED)
    assert {(e.dossier_id, e.data["attended"]) for e in events} == {
        (present.participant_id, True),
        (absent.participant_id, False),
    }
    assert {(e.actor_id, e.right) for e in events} == {(staff.pk, Right.STAFF)}


def test_saving_again_without_change_writes_no_audit_row(desk, training):
    present = RegistrationFactory(offering=training)
    desk.post(page_url(training), {"present": [present.pk]})

    desk.post(page_url(training), {"present": [present.pk]})

    assert AuditEvent.objects.filter(action=Action.ATTENDANCE_MARKED).count() == 1


def test_unchecking_a_present_person_marks_them_absent(desk, training):
    registration = RegistrationFactory(offering=training, attended=True)

    desk.post(page_url(training), {})

    registration.refresh_from_db()
    assert registration.attended is False


def test_ids_from_another_training_or_not_confirmed_are_ignored(desk, training):
    elsewhere = RegistrationFactory(offering=OfferingFactory())
    waiting = RegistrationFactory(offering=training, status="waiting")

    desk.post(page_url(training), {"present": [elsewhere.pk, waiting.pk, "x"]})

    assert Registration.objects.filter(attended__isnull=False).count() == 0


def test_events_have_no_attendance_page(desk):
    assert desk.get(page_url(EventFactory())).status_code == 404


def test_index_lists_trainings(desk, training):
    html = text_of(desk.get(reverse("registrations:attendance_index")))

    assert "Présences aux formations" in html
    assert page_url(training) in html


@pytest.mark.parametrize("method", ["get", "post"])
def test_non_staff_gets_404(client, account, training, method):
    registration = RegistrationFactory(offering=training, registered_by=account)
    client.force_login(account)

    response = getattr(client, method)(page_url(training), {"present": [registration.pk]})

    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.attended is None


def test_non_staff_gets_404_on_the_index(client, account):
    client.force_login(account)

    assert client.get(reverse("registrations:attendance_index")).status_code == 404


MONTREAL = zoneinfo.ZoneInfo("America/Montreal")


def test_attendance_is_refused_before_the_training_starts(desk, staff):
    upcoming = OfferingFactory(title="Urbanisme", starts_on=days_from_today(3))
    registration = RegistrationFactory(offering=upcoming)

    page = text_of(desk.get(page_url(upcoming)))
    response = desk.post(page_url(upcoming), {"present": [registration.pk]}, follow=True)

    assert "Les présences se saisissent à partir du début de la formation" in page
    assert 'name="present"' not in page
    assert "Les présences se saisissent à partir du début de la formation" in text_of(response)
    registration.refresh_from_db()
    assert registration.attended is None
    assert not AuditEvent.objects.filter(action=Action.ATTENDANCE_MARKED).exists()
    with pytest.raises(AttendanceTooEarly):
        mark_attendance(upcoming, [registration.pk], actor=staff)


def test_attendance_opens_when_the_first_session_starts(desk, staff):
    start = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=MONTREAL)  # the day after DST ends
    day = OfferingFactory(starts_on=start.date(), ends_on=start.date())
    Session.objects.create(
        offering=day, starts_at=start, ends_at=start + datetime.timedelta(hours=7)
    )
    registration = RegistrationFactory(offering=day)

    with time_machine.travel(start - datetime.timedelta(minutes=1), tick=False):
        desk.post(page_url(day), {"present": [registration.pk]})
        registration.refresh_from_db()
        assert registration.attended is None
    with time_machine.travel(start, tick=False):
        assert mark_attendance(day, [registration.pk], actor=staff) == 1
    registration.refresh_from_db()
    assert registration.attended is True


def test_without_sessions_attendance_opens_on_the_first_day_in_montreal(staff):
    first_day = datetime.date(2026, 3, 8)  # the day daylight saving time starts
    training = OfferingFactory(starts_on=first_day, ends_on=first_day)
    registration = RegistrationFactory(offering=training)
    midnight = datetime.datetime(2026, 3, 8, 0, 0, tzinfo=MONTREAL)

    before = midnight - datetime.timedelta(seconds=1)
    with time_machine.travel(before, tick=False), pytest.raises(AttendanceTooEarly):
        mark_attendance(training, [registration.pk], actor=staff)
    with time_machine.travel(midnight, tick=False):
        assert mark_attendance(training, [registration.pk], actor=staff) == 1

"""Staff mark attendance to a training: one « Présent » box per confirmed registration."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from guichet.audit.models import Action, AuditEvent, Right
from guichet.registrations.models import Registration
from tests.registrations.factories_mine import EventFactory, OfferingFactory, RegistrationFactory
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client, staff):
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(staff)
    return client


@pytest.fixture
def training():
    return OfferingFactory(title="Budget municipal")


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

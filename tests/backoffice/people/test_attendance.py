"""Attendance for every kind of offering, one tap per participant, through registrations'
own service: the leader of a day camp marks who came."""

from __future__ import annotations

import pytest
from django.urls import reverse

from guichet.audit.models import Action, AuditEvent
from guichet.backoffice.models import OfferingLeader
from guichet.core.roles import Role
from guichet.registrations.models import Registration
from tests.backoffice.people.support import day_camp, family_child
from tests.registrations.factories_mine import days_from_today
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def camp():
    return day_camp()


@pytest.fixture
def leader(staff_with, camp):
    account = staff_with(Role.ANIMATION)
    OfferingLeader.objects.create(offering=camp, account=account)
    return account


def page(camp):
    return reverse("backoffice:attendance", args=[camp.pk])


def test_one_tap_marks_one_participant_and_is_audited_under_animation(client_of, leader, camp):
    lea, thomas = family_child(camp), family_child(camp, first_name="Thomas")
    client = client_of(leader)
    assert "Léa Tremblay" in text_of(client.get(page(camp)))

    response = client.post(page(camp), {"inscription": lea.pk, "present": "1"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#p-{lea.pk}")
    assert Registration.objects.get(pk=lea.pk).attended is True
    event = AuditEvent.objects.get(action=Action.ATTENDANCE_MARKED, dossier=lea.participant)
    assert (event.actor, event.role) == (leader, Role.ANIMATION)

    # A second tap on Thomas keeps Léa present; a tap on Léa marks her absent.
    client.post(page(camp), {"inscription": thomas.pk, "present": "1"})
    client.post(page(camp), {"inscription": lea.pk, "present": "0"})
    assert dict(Registration.objects.values_list("pk", "attended")) == {
        lea.pk: False,
        thomas.pk: True,
    }


def test_the_background_tap_answers_json(client_of, leader, camp):
    lea = family_child(camp)
    response = client_of(leader).post(
        page(camp), {"inscription": lea.pk, "present": "1"}, headers={"X-Requested-With": "fetch"}
    )
    assert response.json() == {"present": True}


def test_before_the_start_nothing_is_marked(staff_with, client_of):
    later = day_camp(starts_on=days_from_today(3))
    lea = family_child(later)
    client = client_of(staff_with(Role.REGISTRAR))
    assert "à partir du début" in text_of(client.get(page(later)))
    client.post(page(later), {"inscription": lea.pk, "present": "1"})
    assert Registration.objects.get(pk=lea.pk).attended is None


def test_another_offerings_registration_is_ignored(client_of, leader, camp):
    elsewhere = family_child(day_camp(title="Autre camp"))
    client_of(leader).post(page(camp), {"inscription": elsewhere.pk, "present": "1"})
    assert Registration.objects.get(pk=elsewhere.pk).attended is None


@pytest.mark.parametrize("role", [Role.COUNTER, Role.ANIMATION, Role.ACCOUNTING])
def test_roles_without_the_offering_get_404(staff_with, client_of, camp, role):
    lea = family_child(camp)
    client = client_of(staff_with(role))  # an animator who does not lead this camp
    assert client.get(page(camp)).status_code == 404
    assert client.post(page(camp), {"inscription": lea.pk, "present": "1"}).status_code == 404
    assert Registration.objects.get(pk=lea.pk).attended is None


def test_the_page_reads_in_flat_queries(client_of, leader, camp, django_assert_max_num_queries):
    client = client_of(leader)
    for index in range(25):
        family_child(camp, first_name=f"Enfant{index}")
    with django_assert_max_num_queries(12):
        assert client.get(page(camp)).status_code == 200

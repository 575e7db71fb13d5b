"""The register of staff views: staff opening a page that shows a file's sensitive
information leaves an event on that file; the person sees that staff consulted it, not
who; the privacy officer finds it in the journal by action and file number."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from guichet.audit.models import Action, AuditEvent, Right
from guichet.requests.models import Request, RequestKind
from tests.billing.cast import holder
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client, staff):
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={})
    client.force_login(staff)
    return client


@pytest.fixture
def person(password):
    return holder(password=password, last_name="Kowalczyk-Roy")


def viewed(dossier):
    return AuditEvent.objects.filter(action=Action.STAFF_VIEWED, dossier=dossier)


def test_opening_a_request_or_a_file_in_the_admin_is_recorded_on_the_file(desk, staff, person):
    account, file = person
    request = Request.objects.create(
        kind=RequestKind.DOSSIER_CHANGE, submitted_by=account, dossier=file, data={}
    )
    assert desk.get(reverse("requests:review", args=[request.pk])).status_code == 200
    event = viewed(file).get()
    assert event.actor is None and event.right == Right.STAFF
    assert event.data == {"what": "request", "viewed_by": staff.pk}

    assert desk.get(reverse("admin:dossiers_dossier_change", args=[file.pk])).status_code == 200
    assert viewed(file).count() == 2
    assert viewed(file).filter(data__what="file").exists()


def test_lists_posts_and_misses_record_nothing(desk, person):
    __, file = person
    desk.get(reverse("requests:queue"))
    desk.get(reverse("requests:review", args=[987654]))
    assert not AuditEvent.objects.filter(action=Action.STAFF_VIEWED).exists()


def test_a_person_opening_their_own_pages_records_nothing(client, person):
    account, file = person
    client.force_login(account)
    client.get(reverse("dossiers:information"))
    assert not viewed(file).exists()


def test_the_person_sees_staff_consulted_their_file_but_not_who(client, desk, staff, person):
    account, file = person
    desk.get(reverse("admin:dossiers_dossier_change", args=[file.pk]))
    client.force_login(account)
    text = text_of(client.get(reverse("dossiers:activity")))
    assert "Dossier consulté par le personnel" in text
    assert staff.get_full_name() not in text
    assert staff.email not in text


def test_the_privacy_officer_finds_them_in_the_journal(desk, person):
    __, file = person
    desk.get(reverse("admin:dossiers_dossier_change", args=[file.pk]))
    journal = desk.get(
        reverse("audit:journal"), {"action": Action.STAFF_VIEWED, "dossier": file.number}
    )
    assert "Dossier consulté par le personnel" in text_of(journal)

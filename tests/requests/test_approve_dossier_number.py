"""Approving « Je n'ai pas de numéro de dossier »: a dossier with the next number, emailed."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from guichet.audit.models import Action, AuditEvent, Right
from guichet.dossiers import numbering
from guichet.dossiers.models import Dossier
from guichet.requests import services
from guichet.requests.models import RequestStatus
from tests.dossiers.factories import DossierFactory
from tests.requests.factories import DossierNumberRequestFactory

pytestmark = pytest.mark.django_db


def approve(client, service_request):
    return client.post(
        reverse("requests:review", args=[service_request.pk]), {"decision": "approve"}
    )


def test_approval_opens_the_dossier_with_the_next_number(
    staff_client, staff, django_capture_on_commit_callbacks
):
    DossierFactory(number="10041")
    DossierFactory(number="9999")
    DossierFactory(number="ABC-77777")  # not a number: ignored
    submitted = DossierNumberRequestFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = approve(staff_client, submitted)
    assert response["Location"] == reverse("requests:queue")
    submitted.refresh_from_db()
    assert submitted.status == RequestStatus.APPROVED
    assert submitted.decided_by == staff
    assert submitted.decided_at is not None
    dossier = submitted.dossier
    assert dossier.number == "10042"
    assert (dossier.first_name, dossier.last_name) == ("Mélanie", "Tremblay")
    assert dossier.birth_date == datetime.date(1984, 2, 29)
    assert (dossier.home_street, dossier.home_city) == ("45, avenue Cartier", "Baie-Comeau")
    assert (dossier.home_postal_code, dossier.home_phone) == ("G4Z 1A1", "418 555-0199")
    assert dossier.email == "melanie@exemple.ca"
    assert not dossier.links.exists()  # the person links it as any holder does


def test_the_number_is_emailed_in_french_with_the_activation_link(
    staff_client, mailbox, django_capture_on_commit_callbacks
):
    DossierFactory(number="10041")
    submitted = DossierNumberRequestFactory(submitted_by__email="melanie.compte@exemple.ca")
    with django_capture_on_commit_callbacks(execute=True):
        approve(staff_client, submitted)
    message = mailbox.wait_for("melanie.compte@exemple.ca", "Votre numéro de dossier")
    body = mailbox.body(message)
    assert "Votre numéro de dossier est 10042." in body
    assert "« Activez votre dossier »" in body
    assert any(link.endswith(reverse("dossiers:activate")) for link in mailbox.links(message))


def test_the_email_follows_the_requesters_language(
    staff_client, mailbox, django_capture_on_commit_callbacks
):
    submitted = DossierNumberRequestFactory(
        submitted_by__email="anglo@exemple.ca", submitted_by__language="en"
    )
    with django_capture_on_commit_callbacks(execute=True):
        approve(staff_client, submitted)
    message = mailbox.wait_for("anglo@exemple.ca", "Your file number")
    submitted.refresh_from_db()
    assert f"Your file number is {submitted.dossier.number}." in mailbox.body(message)
    assert submitted.dossier.language == "en"


def test_approval_is_audited(staff_client, staff):
    submitted = DossierNumberRequestFactory()
    approve(staff_client, submitted)
    submitted.refresh_from_db()
    event = AuditEvent.objects.get(action=Action.REQUEST_APPROVED)
    assert (event.actor, event.subject, event.right) == (staff, submitted.submitted_by, Right.STAFF)
    assert event.dossier == submitted.dossier
    assert event.data["number"] == submitted.dossier.number


def test_the_person_sees_the_number_in_my_requests(client, staff):
    submitted = DossierNumberRequestFactory()
    services.approve_dossier_number_request(submitted.pk, actor=staff)
    client.force_login(submitted.submitted_by)
    page = client.get(reverse("requests:detail", args=[submitted.pk])).content.decode()
    assert "Approuvée" in page
    assert Dossier.objects.get().number in page
    assert reverse("dossiers:activate") in page


def test_a_request_is_decided_only_once(staff):
    submitted = DossierNumberRequestFactory()
    services.approve_dossier_number_request(submitted.pk, actor=staff)
    with pytest.raises(services.RequestAlreadyDecided):
        services.approve_dossier_number_request(submitted.pk, actor=staff)
    assert Dossier.objects.count() == 1


def test_a_second_decision_in_the_page_changes_nothing(staff_client, staff):
    submitted = DossierNumberRequestFactory()
    services.approve_dossier_number_request(submitted.pk, actor=staff)
    response = staff_client.post(
        reverse("requests:review", args=[submitted.pk]), {"decision": "refuse", "reason": "Non"}
    )
    assert response.status_code == 200
    submitted.refresh_from_db()
    assert submitted.status == RequestStatus.APPROVED


@pytest.mark.parametrize(
    ("preset", "existing", "expected"),
    [
        ("caomsc", "00875", "00876"),  # zero-padded matricule
        ("caomsc", None, "00001"),
        ("demo", None, "10000"),  # as wide as the example « 12345 »
        ("baie-comeau", "104523", "104524"),
    ],
)
def test_numbers_follow_the_operators_format(settings, staff, preset, existing, expected):
    settings.GUICHET_PRESET = preset
    if existing:
        DossierFactory(number=existing)
    submitted = DossierNumberRequestFactory()
    services.approve_dossier_number_request(submitted.pk, actor=staff)
    submitted.refresh_from_db()
    assert submitted.dossier.number == expected


def test_a_number_taken_meanwhile_is_skipped(staff, monkeypatch):
    """Another approval committed the number we computed: the unique index refuses it
    and the next one is taken, in the same transaction."""
    DossierFactory(number="10041")
    stale = iter([10040])  # as read before the other approval committed 10041
    original = numbering.highest_number
    monkeypatch.setattr(numbering, "highest_number", lambda: next(stale, None) or original())
    submitted = DossierNumberRequestFactory()
    services.approve_dossier_number_request(submitted.pk, actor=staff)
    submitted.refresh_from_db()
    assert submitted.dossier.number == "10042"

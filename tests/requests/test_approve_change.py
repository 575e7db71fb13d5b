"""Approving a change request: the dossier's locked fields change, before/after audited."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from guichet.audit.models import Action, AuditEvent, Right
from guichet.requests.models import RequestStatus
from tests.requests.factories import ChangeRequestFactory

pytestmark = pytest.mark.django_db


def test_approval_applies_the_change_and_audits_before_and_after(
    staff_client, staff, mailbox, django_capture_on_commit_callbacks
):
    submitted = ChangeRequestFactory(
        dossier__first_name="Mélanie",
        dossier__last_name="Tremblay",
        submitted_by__email="change@exemple.ca",
    )
    dossier = submitted.dossier
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("requests:review", args=[submitted.pk]), {"decision": "approve"}
        )
    assert response["Location"] == reverse("requests:queue")
    dossier.refresh_from_db()
    assert (dossier.first_name, dossier.last_name) == ("Mélanie", "Nouveau-Nom")
    assert dossier.birth_date == datetime.date(1985, 6, 16)
    submitted.refresh_from_db()
    assert submitted.status == RequestStatus.APPROVED

    change = AuditEvent.objects.get(action=Action.PROFILE_CHANGED)
    assert (change.actor, change.dossier, change.right) == (staff, dossier, Right.STAFF)
    assert change.subject == submitted.submitted_by
    assert change.data["before"] == {
        "first_name": "Mélanie",
        "last_name": "Tremblay",
        "birth_date": "1985-06-15",
    }
    assert change.data["after"] == {
        "first_name": "Mélanie",
        "last_name": "Nouveau-Nom",
        "birth_date": "1985-06-16",
    }
    assert AuditEvent.objects.filter(action=Action.REQUEST_APPROVED, dossier=dossier).exists()
    message = mailbox.wait_for("change@exemple.ca", "Votre dossier a été corrigé")
    assert dossier.number in mailbox.body(message)


def test_before_is_read_at_approval_time(staff_client):
    """Staff may have corrected the dossier meanwhile: the trail shows what was replaced."""
    submitted = ChangeRequestFactory(dossier__last_name="Tremblay")
    submitted.dossier.last_name = "Corrigé-Entre-Temps"
    submitted.dossier.save()
    staff_client.post(reverse("requests:review", args=[submitted.pk]), {"decision": "approve"})
    change = AuditEvent.objects.get(action=Action.PROFILE_CHANGED)
    assert change.data["before"]["last_name"] == "Corrigé-Entre-Temps"

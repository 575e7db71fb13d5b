"""Refusing a request: a reason is required, and the person receives it by email."""

from __future__ import annotations

import pytest
from django.urls import reverse

from guichet.audit.models import Action, AuditEvent, Right
from guichet.dossiers.models import Dossier
from guichet.requests import services
from guichet.requests.models import RequestStatus
from tests.requests.factories import ChangeRequestFactory, DossierNumberRequestFactory
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db


def refuse(client, service_request, reason: str):
    return client.post(
        reverse("requests:review", args=[service_request.pk]),
        {"decision": "refuse", "reason": reason},
    )


def test_a_refusal_without_a_reason_is_explained_and_changes_nothing(staff_client):
    submitted = DossierNumberRequestFactory()
    response = refuse(staff_client, submitted, "   ")
    assert response.status_code == 200
    assert "Indiquez la raison du refus" in text_of(response)
    submitted.refresh_from_db()
    assert submitted.status == RequestStatus.PENDING
    assert not AuditEvent.objects.filter(action=Action.REQUEST_REFUSED).exists()


def test_the_service_refuses_an_empty_reason(staff):
    submitted = DossierNumberRequestFactory()
    with pytest.raises(ValueError):
        services.refuse_request(submitted.pk, reason="", actor=staff)


def test_a_refusal_emails_the_reason_in_french(
    staff_client, staff, mailbox, django_capture_on_commit_callbacks
):
    submitted = DossierNumberRequestFactory(submitted_by__email="refus@exemple.ca")
    with django_capture_on_commit_callbacks(execute=True):
        response = refuse(staff_client, submitted, "Adresse hors du territoire de la Ville.")
    assert response["Location"] == reverse("requests:queue")
    submitted.refresh_from_db()
    assert submitted.status == RequestStatus.REFUSED
    assert submitted.reason == "Adresse hors du territoire de la Ville."
    assert submitted.decided_by == staff
    assert not Dossier.objects.exists()
    message = mailbox.wait_for("refus@exemple.ca", "Votre demande a été refusée")
    body = mailbox.body(message)
    assert "Adresse hors du territoire de la Ville." in body
    assert "Demande de numéro de dossier" in body
    event = AuditEvent.objects.get(action=Action.REQUEST_REFUSED)
    assert (event.actor, event.subject, event.right) == (staff, submitted.submitted_by, Right.STAFF)
    assert event.data["reason"] == "Adresse hors du territoire de la Ville."


def test_a_refused_change_leaves_the_dossier_alone(staff_client):
    submitted = ChangeRequestFactory()
    last_name = submitted.dossier.last_name
    refuse(staff_client, submitted, "Pièce justificative manquante.")
    submitted.dossier.refresh_from_db()
    assert submitted.dossier.last_name == last_name
    assert AuditEvent.objects.get(action=Action.REQUEST_REFUSED).dossier == submitted.dossier

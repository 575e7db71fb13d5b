"""Training documents: only for people registered (confirmed) to the training."""

from __future__ import annotations

import pytest
from django.urls import reverse

from guichet.dossiers.models import LinkRole
from tests.dossiers.factories import ChildDossierFactory, DossierLinkFactory
from tests.registrations.factories_mine import (
    DocumentFactory,
    OfferingFactory,
    RegistrationFactory,
    holder_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def me(client, account):
    client.force_login(account)
    return holder_of(account)


def fetch(client, document):
    return client.get(reverse("registrations:document", args=[document.pk]))


def test_registered_participant_downloads_the_document(client, me):
    document = DocumentFactory()
    RegistrationFactory(offering=document.offering, participant=me)

    response = fetch(client, document)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 cahier"
    assert "cahier" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]


def test_guardian_downloads_the_childs_document(client, account, me):
    child = ChildDossierFactory()
    DossierLinkFactory(account=account, dossier=child, role=LinkRole.GUARDIAN)
    document = DocumentFactory()
    RegistrationFactory(
        offering=document.offering, participant=child, registered_by=account, right="guardian"
    )

    assert fetch(client, document).status_code == 200


def test_someone_not_registered_gets_404(client, me):
    document = DocumentFactory()
    RegistrationFactory(offering=document.offering)  # someone else
    RegistrationFactory(offering=OfferingFactory(), participant=me)  # another training

    assert fetch(client, document).status_code == 404


@pytest.mark.parametrize("status", ["waiting", "offered", "cancelled", "held", "pending_payment"])
def test_registration_not_confirmed_gets_404(client, me, status):
    document = DocumentFactory()
    RegistrationFactory(offering=document.offering, participant=me, status=status)

    assert fetch(client, document).status_code == 404


def test_document_after_attendance_waits_for_attendance(client, me):
    document = DocumentFactory(after_attendance=True)
    registration = RegistrationFactory(offering=document.offering, participant=me)

    assert fetch(client, document).status_code == 404
    registration.attended = True
    registration.save()
    assert fetch(client, document).status_code == 200


def test_missing_file_gets_404_not_500(client, me):
    document = DocumentFactory()
    RegistrationFactory(offering=document.offering, participant=me)
    document.file.storage.delete(document.file.name)

    assert fetch(client, document).status_code == 404


def test_visitor_is_sent_to_sign_in(client):
    document = DocumentFactory()

    response = fetch(client, document)

    assert response.status_code == 302

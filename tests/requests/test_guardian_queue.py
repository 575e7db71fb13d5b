"""Guardian requests in the staff queue, and a guardian reporting another guardian's
addition: staff decide, the people concerned are told."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from guichet.audit.models import Action, AuditEvent, Right
from guichet.dossiers.models import DossierLink, GuardianRequest, GuardianRequestStatus, LinkRole
from guichet.dossiers.services import linking
from guichet.requests.models import Request, RequestKind, RequestStatus
from tests.dossiers.factories import ChildDossierFactory, DossierLinkFactory
from tests.factories import AccountFactory
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

QUEUE = reverse("requests:queue")


@pytest.fixture(autouse=True)
def baie_comeau(settings):
    settings.GUICHET_PRESET = "baie-comeau"


@pytest.fixture
def child():
    return ChildDossierFactory(
        number="104524",
        first_name="Léa",
        last_name="Tremblay",
        birth_date=datetime.date(2015, 9, 14),
    )


@pytest.fixture
def first(child):
    marie = AccountFactory(first_name="Marie", last_name="Tremblay", email="marie@exemple.ca")
    DossierLinkFactory(account=marie, dossier=child, role=LinkRole.GUARDIAN)
    return marie


@pytest.fixture
def pending(first, child):
    asker = AccountFactory(first_name="Jean-François", last_name="Gagnon", email="jf@exemple.ca")
    outcome = linking.link_by_number(
        actor=asker, number=child.number, birth_date=child.birth_date, role=LinkRole.GUARDIAN
    )
    return outcome.guardian_request


def test_the_queue_lists_pending_guardian_requests(staff_client, pending):
    page = text_of(staff_client.get(QUEUE))
    assert "Ajout d'un tuteur" in page
    assert "Jean-François Gagnon" in page
    assert reverse("requests:guardian_review", args=[pending.pk]) in page


def test_the_review_shows_who_asks_the_child_and_the_existing_guardians(
    staff_client, pending, first
):
    page = text_of(staff_client.get(reverse("requests:guardian_review", args=[pending.pk])))
    assert "Jean-François Gagnon" in page and "jf@exemple.ca" in page
    assert "104524 — Léa Tremblay" in page
    assert "Marie Tremblay" in page and "marie@exemple.ca" in page
    assert "En attente de la réponse d'un tuteur" in page


def test_staff_approve_from_the_queue(
    staff_client, staff, pending, mailbox, django_capture_on_commit_callbacks
):
    url = reverse("requests:guardian_review", args=[pending.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, {"decision": "approve"})
    assert response["Location"] == QUEUE
    assert DossierLink.objects.filter(account=pending.account, dossier=pending.dossier).exists()
    event = AuditEvent.objects.get(action=Action.REQUEST_APPROVED)
    assert (event.actor, event.right) == (staff, Right.STAFF)
    mailbox.wait_for("marie@exemple.ca", "ajouté")


def test_staff_refuse_needs_a_reason(staff_client, pending):
    url = reverse("requests:guardian_review", args=[pending.pk])
    page = text_of(staff_client.post(url, {"decision": "refuse", "reason": ""}))
    assert "Indiquez la raison du refus" in page
    staff_client.post(url, {"decision": "refuse", "reason": "Pas de preuve."})
    pending.refresh_from_db()
    assert pending.status == GuardianRequestStatus.REFUSED


def test_people_who_are_not_staff_get_404_on_the_review(client, pending, first):
    client.force_login(first)
    url = reverse("requests:guardian_review", args=[pending.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "approve"}).status_code == 404
    assert GuardianRequest.objects.get().status == GuardianRequestStatus.PENDING


def test_the_asker_follows_the_request_in_mes_demandes_without_the_child(client, pending):
    client.force_login(pending.account)
    page = text_of(client.get(reverse("requests:mine")))
    assert "Ajout d'un tuteur" in page
    assert "104524" in page
    assert "Léa" not in page


# Reporting an addition ---------------------------------------------------------------------
@pytest.fixture
def added(first, child):
    other = AccountFactory(first_name="Paul", last_name="Inconnu", email="paul@exemple.ca")
    return DossierLinkFactory(account=other, dossier=child, role=LinkRole.GUARDIAN)


def test_an_existing_guardian_reports_an_addition(client, first, added):
    client.force_login(first)
    url = reverse("requests:report_guardian", args=[added.pk])
    page = text_of(client.get(url))
    assert "Paul Inconnu" in page and "Léa Tremblay" in page

    response = client.post(url, {"reason": "Je ne connais pas cette personne."})
    report = Request.objects.get(kind=RequestKind.GUARDIAN_REPORT)
    assert response["Location"] == reverse("requests:detail", args=[report.pk])
    assert (report.submitted_by, report.dossier, report.data["link"]) == (
        first,
        added.dossier,
        added.pk,
    )
    assert DossierLink.objects.get(pk=added.pk).ended_at is None  # staff decide


def test_only_another_guardian_of_the_child_may_report(client, first, added):
    url = reverse("requests:report_guardian", args=[added.pk])
    for someone in (added.account, AccountFactory()):
        client.force_login(someone)
        assert client.get(url).status_code == 404
        assert client.post(url, {"reason": "x"}).status_code == 404
    assert not Request.objects.exists()


def test_staff_approve_a_report_and_the_link_ends(
    client, staff_client, first, added, mailbox, django_capture_on_commit_callbacks
):
    report_client = client.__class__()
    report_client.force_login(first)
    report_client.post(reverse("requests:report_guardian", args=[added.pk]), {"reason": "Inconnu."})
    report = Request.objects.get(kind=RequestKind.GUARDIAN_REPORT)
    page = text_of(staff_client.get(reverse("requests:review", args=[report.pk])))
    assert "Paul Inconnu" in page and "Inconnu." in page

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("requests:review", args=[report.pk]), {"decision": "approve"})
    added.refresh_from_db()
    assert added.ended_at is not None
    report.refresh_from_db()
    assert report.status == RequestStatus.APPROVED
    assert AuditEvent.objects.filter(action=Action.DOSSIER_UNLINKED, dossier=added.dossier).exists()
    mailbox.wait_for("paul@exemple.ca", "retiré")
    mailbox.wait_for("marie@exemple.ca", "signalement")

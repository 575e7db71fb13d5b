"""Locked fields (names, birth date) change only through a request to staff."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from guichet.audit.models import Action, AuditEvent, Right
from guichet.dossiers.models import LinkRole
from guichet.requests.models import Request, RequestKind, RequestStatus
from tests.dossiers.factories import ChildDossierFactory, DossierFactory, DossierLinkFactory
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(account):
    dossier = DossierFactory(first_name="Mélanie", last_name="Tremblay")
    DossierLinkFactory(account=account, dossier=dossier)
    return dossier


def url(dossier) -> str:
    return reverse("requests:change", args=[dossier.pk])


def test_form_starts_with_the_current_values(person_client, dossier):
    page = text_of(person_client.get(url(dossier)))
    assert "<h1>Demander une modification au dossier</h1>" in page
    assert 'value="Mélanie"' in page
    assert 'value="1985-06-15"' in page
    assert "Raison de la modification" in page


def test_a_change_is_requested_with_before_after_and_reason(person_client, account, dossier):
    response = person_client.post(
        url(dossier),
        {
            "first_name": "Mélanie",
            "last_name": "Tremblay-Roy",
            "birth_date": "1985/06/16",
            "reason": "Mariage",
        },
    )
    submitted = Request.objects.get()
    assert response["Location"] == reverse("requests:detail", args=[submitted.pk])
    assert submitted.kind == RequestKind.DOSSIER_CHANGE
    assert submitted.status == RequestStatus.PENDING
    assert submitted.dossier == dossier
    assert submitted.data == {
        "before": {"first_name": "Mélanie", "last_name": "Tremblay", "birth_date": "1985-06-15"},
        "after": {"first_name": "Mélanie", "last_name": "Tremblay-Roy", "birth_date": "1985-06-16"},
        "reason": "Mariage",
    }
    dossier.refresh_from_db()
    assert dossier.last_name == "Tremblay"  # unchanged until staff approve
    event = AuditEvent.objects.get(action=Action.REQUEST_SUBMITTED)
    assert (event.actor, event.dossier, event.right) == (account, dossier, Right.SELF)


def test_nothing_changed_is_refused_and_the_reason_typed_is_kept(person_client, dossier):
    response = person_client.post(
        url(dossier),
        {
            "first_name": "Mélanie",
            "last_name": "Tremblay",
            "birth_date": "1985/06/15",
            "reason": "Pour voir",
        },
    )
    page = text_of(response)
    assert "Rien n'a été modifié" in page
    assert "Pour voir" in page
    assert not Request.objects.exists()


def test_a_reason_is_required(person_client, dossier):
    response = person_client.post(
        url(dossier),
        {"first_name": "Mélanie", "last_name": "Roy", "birth_date": "1985/06/15", "reason": ""},
    )
    assert "Ce champ est obligatoire." in text_of(response)
    assert 'value="Roy"' in text_of(response)
    assert not Request.objects.exists()


def test_a_guardian_may_ask_for_a_childs_file(person_client, account):
    child = ChildDossierFactory(first_name="Léo")
    DossierLinkFactory(account=account, dossier=child, role=LinkRole.GUARDIAN)
    person_client.post(
        url(child),
        {
            "first_name": "Léon",
            "last_name": child.last_name,
            "birth_date": "2016/03/02",
            "reason": "Erreur de frappe",
        },
    )
    submitted = Request.objects.get()
    assert submitted.dossier == child
    assert AuditEvent.objects.get(action=Action.REQUEST_SUBMITTED).right == Right.GUARDIAN


def test_someone_elses_file_is_not_found(client, outsider, dossier):
    client.force_login(outsider)
    assert client.get(url(dossier)).status_code == 404
    response = client.post(
        url(dossier),
        {"first_name": "X", "last_name": "Y", "birth_date": "1990/01/01", "reason": "Z"},
    )
    assert response.status_code == 404
    assert not Request.objects.exists()


def test_an_ended_link_gives_no_right(person_client, dossier):
    dossier.links.update(ended_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    assert person_client.get(url(dossier)).status_code == 404


def test_the_same_change_sent_twice_is_one_request(person_client, dossier):
    change = {
        "first_name": "Mélanie",
        "last_name": "Tremblay-Roy",
        "birth_date": "1985/06/15",
        "reason": "Mariage",
    }
    person_client.post(url(dossier), change)
    again = person_client.post(url(dossier), change, follow=True)
    assert Request.objects.count() == 1
    assert "déjà en attente" in text_of(again)
    person_client.post(url(dossier), {**change, "last_name": "Roy"})
    assert Request.objects.count() == 2  # another change is another request

"""The staff queue: pending requests, oldest first; staff only."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.requests.models import Request, RequestStatus
from tests.dossiers.factories import DossierFactory
from tests.factories import AccountFactory
from tests.requests.factories import ChangeRequestFactory, DossierNumberRequestFactory
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

QUEUE = reverse("requests:queue")


def test_visitors_are_sent_to_sign_in(client):
    for url in (QUEUE, reverse("requests:review", args=[DossierNumberRequestFactory().pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_people_who_are_not_staff_get_not_found(person_client, account):
    own = DossierNumberRequestFactory(submitted_by=account)
    assert person_client.get(QUEUE).status_code == 404
    assert person_client.get(reverse("requests:review", args=[own.pk])).status_code == 404
    response = person_client.post(
        reverse("requests:review", args=[own.pk]), {"decision": "approve"}
    )
    assert response.status_code == 404
    own.refresh_from_db()
    assert own.status == RequestStatus.PENDING


def test_queue_lists_pending_requests_oldest_first(staff_client):
    newer = DossierNumberRequestFactory(submitted_by__first_name="Nadia")
    older = ChangeRequestFactory(submitted_by__first_name="Omer")
    Request.objects.filter(pk=older.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=2)
    )
    DossierNumberRequestFactory(status=RequestStatus.APPROVED, submitted_by__first_name="Xavier")
    page = text_of(staff_client.get(QUEUE))
    assert "<h1>Demandes à traiter</h1>" in page
    assert "2 demandes en attente." in page
    assert page.index("Omer") < page.index("Nadia")
    assert "Xavier" not in page
    assert reverse("requests:review", args=[newer.pk]) in page


def test_queue_query_count_does_not_grow_with_requests(staff_client, django_assert_max_num_queries):
    # Two requesters are enough to show an N+1 (no identity map) and quick to create.
    people = AccountFactory.create_batch(2)
    DossierNumberRequestFactory.create_batch(3, submitted_by=people[0])
    ChangeRequestFactory.create_batch(3, submitted_by=people[1])
    with django_assert_max_num_queries(12) as few:
        staff_client.get(QUEUE)
    DossierNumberRequestFactory.create_batch(20, submitted_by=people[0])
    ChangeRequestFactory.create_batch(20, submitted_by=people[1])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = staff_client.get(QUEUE)
    assert "46 demandes en attente." in text_of(response)


def test_review_page_shows_what_was_sent(staff_client):
    submitted = ChangeRequestFactory(dossier__last_name="Ancien")
    page = text_of(staff_client.get(reverse("requests:review", args=[submitted.pk])))
    assert "Modifications demandées" in page
    assert "Ancien" in page and "Nouveau-Nom" in page
    assert "Nom changé à la suite d'un mariage." in page
    assert "Approuver" in page and "Refuser" in page


def test_review_of_an_unknown_request_is_not_found(staff_client):
    assert staff_client.get(reverse("requests:review", args=[999999])).status_code == 404


def test_review_warns_of_files_that_may_already_be_the_persons(staff_client):
    DossierFactory(number="20001", first_name="Mélanie", last_name="TREMBLAY")
    DossierFactory(number="20002", last_name="Tremblay", birth_date=datetime.date(1984, 2, 29))
    DossierFactory(number="20003", email="melanie@exemple.ca")
    DossierFactory(number="20004", first_name="Autre", last_name="Personne")
    submitted = DossierNumberRequestFactory()
    page = text_of(staff_client.get(reverse("requests:review", args=[submitted.pk])))
    assert "Dossiers qui sont peut-être déjà ceux de cette personne" in page
    assert "20001" in page and "20002" in page and "20003" in page
    assert "20004" not in page


def test_review_shows_no_warning_for_a_new_person(staff_client):
    DossierFactory(number="20004", first_name="Autre", last_name="Personne")
    submitted = DossierNumberRequestFactory()
    page = text_of(staff_client.get(reverse("requests:review", args=[submitted.pk])))
    assert "Dossiers qui sont peut-être" not in page


def test_a_long_queue_is_paged_oldest_first(staff_client):
    requester = AccountFactory()
    first = DossierNumberRequestFactory(submitted_by=requester)
    Request.objects.filter(pk=first.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=3)
    )
    DossierNumberRequestFactory.create_batch(54, submitted_by=requester)
    page_one = text_of(staff_client.get(QUEUE))
    assert "55 demandes en attente." in page_one and "Page 1 sur 2" in page_one
    assert "Page suivante" in page_one
    assert reverse("requests:review", args=[first.pk]) in page_one
    page_two = text_of(staff_client.get(QUEUE + "?page=2"))
    assert "Page précédente" in page_two
    assert reverse("requests:review", args=[first.pk]) not in page_two
    assert len(re.findall(r'href="/demandes/personnel/\d+/"', page_two)) == 5

"""« Mes demandes »: a person sees their own requests, and nobody else's."""

from __future__ import annotations

import pytest
from django.urls import reverse

from guichet.requests.models import RequestStatus
from tests.requests.factories import ChangeRequestFactory, DossierNumberRequestFactory
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db


def test_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("requests:mine"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_my_requests_lists_only_mine_with_their_status(person_client, account, outsider):
    mine = DossierNumberRequestFactory(submitted_by=account)
    refused = ChangeRequestFactory(
        submitted_by=account, status=RequestStatus.REFUSED, reason="Pièce manquante"
    )
    theirs = DossierNumberRequestFactory(submitted_by=outsider)
    page = text_of(person_client.get(reverse("requests:mine")))
    assert "<h1>Mes demandes</h1>" in page
    assert reverse("requests:detail", args=[mine.pk]) in page
    assert reverse("requests:detail", args=[refused.pk]) in page
    assert reverse("requests:detail", args=[theirs.pk]) not in page
    assert "En attente" in page and "Refusée" in page


def test_my_requests_says_when_there_is_none(person_client, outsider):
    DossierNumberRequestFactory(submitted_by=outsider)
    page = text_of(person_client.get(reverse("requests:mine")))
    assert "Vous n'avez fait aucune demande." in page


def test_my_request_shows_its_status_and_what_was_sent(person_client, account):
    submitted = DossierNumberRequestFactory(submitted_by=account)
    page = text_of(person_client.get(reverse("requests:detail", args=[submitted.pk])))
    assert "<h1>Demande de numéro de dossier</h1>" in page
    assert "En attente" in page
    assert "45, avenue Cartier" in page
    assert "Membres de la famille à inscrire" in page


def test_a_refused_request_shows_the_reason(person_client, account):
    refused = DossierNumberRequestFactory(
        submitted_by=account, status=RequestStatus.REFUSED, reason="Adresse hors territoire."
    )
    page = text_of(person_client.get(reverse("requests:detail", args=[refused.pk])))
    assert "Raison du refus" in page
    assert "Adresse hors territoire." in page


def test_someone_elses_request_is_not_found(client, outsider, account):
    submitted = DossierNumberRequestFactory(submitted_by=account)
    client.force_login(outsider)
    assert client.get(reverse("requests:detail", args=[submitted.pk])).status_code == 404


def test_a_request_is_not_shown_to_visitors(client, account):
    submitted = DossierNumberRequestFactory(submitted_by=account)
    response = client.get(reverse("requests:detail", args=[submitted.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))

"""Who may see what: an application and its documents are its applicant's and staff's;
anyone else gets 404 on every URL, so an id reveals nothing. Pages of a preset without
memberships do not exist."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guichet.memberships.services import applications
from tests.billing.cast import holder
from tests.factories import AccountFactory
from tests.memberships.cast import applied, member_types

pytestmark = pytest.mark.django_db


@pytest.fixture
def application():
    account, dossier = holder()
    return applied(account, dossier, member_types()["membre-regulier"])


def client_for(account) -> Client:
    if account.is_staff:  # staff pages need a second factor
        Authenticator.objects.get_or_create(
            user=account, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
        )
    client = Client()
    client.force_login(account)
    return client


def test_the_applicant_reads_the_application_and_downloads_its_documents(application):
    client = client_for(application.applicant)
    assert client.get(reverse("memberships:application", args=[application.pk])).status_code == 200
    document = application.documents.first()
    response = client.get(reverse("memberships:document", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_another_account_gets_404_on_every_url_of_an_application(application, outsider):
    client = client_for(outsider)
    urls = [reverse("memberships:application", args=[application.pk])] + [
        reverse("memberships:document", args=[document.pk])
        for document in application.documents.all()
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url
    # And a visitor is sent to sign in, never to the file.
    assert Client().get(urls[-1]).status_code == 302


def test_staff_pages_are_404_for_people_and_open_for_staff(application, outsider, staff):
    for url in (reverse("memberships:queue"), reverse("memberships:review", args=[application.pk])):
        assert client_for(outsider).get(url).status_code == 404
        assert client_for(application.applicant).get(url).status_code == 404
    staff_client = client_for(staff)
    document = application.documents.first()
    assert staff_client.get(reverse("memberships:document", args=[document.pk])).status_code == 200


def test_documents_are_stored_outside_any_served_root(application, settings):
    document = application.documents.first()
    assert document.file.name.startswith("memberships/")
    assert not document.file.name.startswith(str(settings.STATIC_ROOT))
    assert document.original_name not in document.file.name  # a random stored name
    assert Client().get(f"/media/{document.file.name}").status_code == 404


def test_a_preset_without_memberships_has_no_such_pages(application, settings):
    settings.GUICHET_PRESET = "baie-comeau"
    client = client_for(application.applicant)
    for url in (
        reverse("memberships:standing"),
        reverse("memberships:apply", args=[1]),
        reverse("memberships:participant", args=[1]),
        reverse("memberships:application", args=[application.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_the_participant_file_exists_only_where_the_preset_allows_it(settings):
    settings.GUICHET_PRESET = "caomsc"  # members, but files come from the operator
    assert Client().get(reverse("memberships:participant", args=[1])).status_code == 404


def test_the_staff_queue_reads_in_a_fixed_number_of_queries(staff):
    types = member_types()
    for _ in range(3):
        account, dossier = holder()
        applied(account, dossier, types["membre-retraite"])
    client = client_for(staff)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("memberships:queue")).status_code == 200
    for _ in range(5):
        account, dossier = holder()
        applied(account, dossier, types["membre-retraite"])
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("memberships:queue")).status_code == 200
    assert len(many) == len(few)


def test_my_applications_read_in_a_fixed_number_of_queries(application):
    client = client_for(application.applicant)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("memberships:applications"))
    assert response.status_code == 200
    assert "Membre régulier" in response.content.decode()
    assert len(queries) < 12
    applications.refuse(application, "Non admissible.", actor=AccountFactory(is_staff=True))
    assert "Refusée" in client.get(reverse("memberships:applications")).content.decode()

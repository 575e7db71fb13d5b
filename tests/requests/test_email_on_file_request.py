"""A member whose email on file no longer works is not left waiting for a code that will
never arrive: the pages offer to ask staff, who check the person's identity and link the
file to the account's working address."""

from __future__ import annotations

import datetime

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.urls import reverse

from guichet.accounts.models import Account
from guichet.audit.models import Action, AuditEvent, Right
from guichet.dossiers.models import DossierLink, LinkingCode, LinkMethod, LinkRole
from guichet.requests.models import Request, RequestKind, RequestStatus
from tests.dossiers.factories import DossierFactory
from tests.dossiers.test_member_signup import NEW, STEP2, identify
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

ASK = "/demandes/courriel-du-dossier/"
CONFIRM = "/mon-dossier/activer/confirmation/"


@pytest.fixture(autouse=True)
def caomsc(settings):
    settings.GUICHET_PRESET = "caomsc"


@pytest.fixture
def dossier():
    return DossierFactory(
        number="00875",
        first_name="Julie",
        last_name="Côté",
        birth_date=datetime.date(1990, 2, 20),
        home_postal_code="G5C 1A1",
        email="julie.ancienne@exemple.ca",  # no longer works
    )


def sign_up(client, django_capture_on_commit_callbacks):
    identify(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(STEP2, NEW)
    return response


def signed_in_with_pending_code(client, django_capture_on_commit_callbacks) -> Account:
    sign_up(client, django_capture_on_commit_callbacks)
    account = Account.objects.get(email=NEW["email"])
    EmailAddress.objects.filter(user=account).update(verified=True)  # the link was followed
    client.force_login(account)
    return account


def test_the_end_of_the_sign_up_says_what_to_do_without_the_address_on_file(
    client, dossier, django_capture_on_commit_callbacks
):
    page = text_of(sign_up(client, django_capture_on_commit_callbacks))
    assert "j***@exemple.ca" in page
    assert "Vous n'avez plus accès à j***@exemple.ca ?" in page
    assert "Je n'ai plus accès à cette adresse" in page


def test_the_confirmation_page_offers_to_ask_staff(
    client, dossier, django_capture_on_commit_callbacks
):
    signed_in_with_pending_code(client, django_capture_on_commit_callbacks)
    page = text_of(client.get(CONFIRM))
    assert f'href="{ASK}"' in page
    assert "Je n'ai plus accès à cette adresse" in page


def test_asking_staff_files_a_request_and_staff_link_the_file_to_the_working_address(
    client, dossier, staff, mailbox, django_capture_on_commit_callbacks
):
    account = signed_in_with_pending_code(client, django_capture_on_commit_callbacks)
    page = text_of(client.get(ASK))
    assert "<h1>Je n'ai plus accès au courriel de mon dossier</h1>" in page
    assert "j***@exemple.ca" in page and "julie@exemple.ca" in page
    response = client.post(ASK, {"phone": "418 555-0142", "message": "Nouvel emploi."})
    submitted = Request.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("requests:detail", args=[submitted.pk])
    assert (submitted.kind, submitted.dossier, submitted.submitted_by) == (
        RequestKind.EMAIL_ON_FILE,
        dossier,
        account,
    )
    assert submitted.data == {
        "new_email": "julie@exemple.ca",
        "old_email": "j***@exemple.ca",
        "phone": "418 555-0142",
        "message": "Nouvel emploi.",
    }
    mine = text_of(client.get(reverse("requests:detail", args=[submitted.pk])))
    assert "Le courriel du dossier ne fonctionne plus" in mine
    # Sending it again while it waits returns the same request.
    client.post(ASK, {"phone": "", "message": ""})
    assert Request.objects.count() == 1

    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={})
    client.force_login(staff)
    review = text_of(client.get(reverse("requests:review", args=[submitted.pk])))
    assert "julie@exemple.ca" in review and "418 555-0142" in review
    assert "Vérifiez l'identité de la personne" in review
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("requests:review", args=[submitted.pk]), {"decision": "approve"}
        )
    assert response.status_code == 302

    link = DossierLink.objects.active().get(dossier=dossier)
    assert (link.account, link.role, link.method) == (account, LinkRole.HOLDER, LinkMethod.STAFF)
    dossier.refresh_from_db()
    assert dossier.email == "julie@exemple.ca"
    assert not LinkingCode.objects.filter(account=account, expires_at__gt=link.created_at).exists()
    submitted.refresh_from_db()
    assert submitted.status == RequestStatus.APPROVED
    event = AuditEvent.objects.get(action=Action.DOSSIER_LINKED)
    assert (event.actor, event.subject, event.right) == (staff, account, Right.STAFF)
    assert mailbox.wait_for("julie@exemple.ca", "lié")


def test_without_a_pending_code_the_page_sends_back_to_activation(client, account, dossier):
    client.force_login(account)
    response = client.get(ASK)
    assert response.status_code == 302
    assert response["Location"] == reverse("dossiers:activate")
    assert not Request.objects.exists()


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get(ASK)
    assert response.status_code == 302 and "/compte/login/" in response["Location"]


def test_staff_cannot_link_a_file_someone_else_holds_since(
    client, dossier, staff, django_capture_on_commit_callbacks
):
    signed_in_with_pending_code(client, django_capture_on_commit_callbacks)
    client.post(ASK, {"phone": "", "message": ""})
    submitted = Request.objects.get()
    DossierLink.objects.create(
        account=Account.objects.create(email="autre@exemple.ca"),
        dossier=dossier,
        role=LinkRole.HOLDER,
        method=LinkMethod.STAFF,
    )
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={})
    client.force_login(staff)
    client.post(reverse("requests:review", args=[submitted.pk]), {"decision": "approve"})
    submitted.refresh_from_db()
    assert submitted.status == RequestStatus.PENDING
    assert DossierLink.objects.active().filter(dossier=dossier).count() == 1

"""Staff review of the forms that need it: naming a « Personne responsable » and a
contact's « Informations personnelles » wait (« soumise »); Administration or
Inscriptions take (« en traitement »), apply (« appliquée ») or refuse with a reason
(« refusée »); the author is emailed at each step and « Mes demandes » shows it."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from guichet.accounts.models import StaffRole
from guichet.audit.models import Action, AuditEvent, Right
from guichet.core.roles import Role
from guichet.dossiers import permissions
from guichet.organizations.grants import MANAGE_RELATIONS
from guichet.organizations.models import Relation, RelationType, Submission, SubmissionStatus
from tests.factories import AccountFactory
from tests.organizations.cast import contact_with_account, relate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ccq")]

ADD = "/organisation/catalogue/ajouter-une-relation/"
CHANGE = "/organisation/catalogue/modifier-un-contact/"
QUEUE = "/organisation/personnel/demandes/"
ATTESTED = {"attest_authorization": "on", "attest_exact": "on"}


def staff_member(*roles):
    account = AccountFactory(is_staff=True, first_name="Paule", last_name="Personnel")
    for role in roles:
        StaffRole.objects.create(account=account, role=role)
    # StaffSecondFactorMiddleware sends staff without a second factor to set one up.
    Authenticator.objects.create(user=account, type=Authenticator.Type.TOTP, data={})
    return account


@pytest.fixture
def registrar():
    """A browser of its own: the responsible keeps ``client``."""
    staff = Client()
    staff.force_login(staff_member(Role.REGISTRAR))
    return staff


def name_a_responsible(responsible_client, person):
    return responsible_client.post(
        ADD,
        {
            "contact": person.pk,
            "target": "mine",
            "kind": RelationType.RESPONSIBLE,
            "start_date": "2026-01-01",
            "end_date": "9999-12-31",
            "language": "fr",
            **ATTESTED,
        },
    )


@pytest.fixture
def named(responsible_client, local, mailbox, django_capture_on_commit_callbacks):
    """Zoé, a staff member of the local, named « Personne responsable »: sent for review."""
    account, person = contact_with_account(first_name="Zoé", last_name="Ouellet")
    relate(person, local, RelationType.STAFF)
    with django_capture_on_commit_callbacks(execute=True):
        assert name_a_responsible(responsible_client, person).status_code == 302
    return account, person, Submission.objects.get()


def test_naming_a_responsible_is_submitted_not_applied(named, local, responsible, mailbox):
    account, person, submission = named
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.payload["kind"] == RelationType.RESPONSIBLE
    assert not Relation.objects.filter(contact=person, kind=RelationType.RESPONSIBLE).exists()
    assert permissions.right_over(account, local, act=MANAGE_RELATIONS) is None
    event = AuditEvent.objects.get(action=Action.FORM_SUBMITTED)
    assert event.data["submission"] == submission.pk and event.data["attestations"]
    received = mailbox.wait_for(responsible[0].email, "Votre demande a été reçue")
    assert "Zoé Ouellet" in mailbox.body(received)
    assert not mailbox.to(person.email)  # nothing happened to her yet


def test_staff_take_then_apply_and_everyone_is_told(
    named,
    registrar,
    responsible_client,
    local,
    responsible,
    mailbox,
    django_capture_on_commit_callbacks,
):
    account, person, submission = named
    queue = registrar.get(QUEUE).content.decode()
    assert "Syndicat local 1234" in queue and "Soumise" in queue
    detail = registrar.get(f"{QUEUE}{submission.pk}/").content.decode()
    assert "Zoé Ouellet" in detail and "J&#x27;atteste" in detail
    with django_capture_on_commit_callbacks(execute=True):
        assert registrar.post(f"{QUEUE}{submission.pk}/prendre/").status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.IN_REVIEW and submission.taken_at
    mailbox.wait_for(responsible[0].email, "Votre demande est en traitement")
    assert "En traitement" in responsible_client.get("/organisation/demandes/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert registrar.post(f"{QUEUE}{submission.pk}/appliquer/").status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.APPLIED and submission.decided_at
    relation = Relation.objects.get(contact=person, kind=RelationType.RESPONSIBLE)
    assert relation.is_active
    assert permissions.right_over(account, local, act=MANAGE_RELATIONS) == Right.RELATION
    applied = AuditEvent.objects.get(action=Action.RELATION_ADDED, dossier=local)
    assert applied.right == Right.STAFF and applied.data["submission"] == submission.pk
    assert AuditEvent.objects.filter(action=Action.FORM_APPLIED).exists()
    mailbox.wait_for(responsible[0].email, "Votre demande a été appliquée")
    mailbox.wait_for(person.email, "Vos relations avec Syndicat local 1234 ont changé")
    page = responsible_client.get(f"/organisation/demandes/{submission.pk}/").content.decode()
    assert "Appliquée" in page and "Décidée le" in page and "Personne responsable" in page
    assert "J&#x27;atteste" in page


def test_staff_refuse_with_a_reason(
    named,
    registrar,
    responsible_client,
    responsible,
    mailbox,
    django_capture_on_commit_callbacks,
):
    _account, person, submission = named
    page = registrar.post(f"{QUEUE}{submission.pk}/refuser/", {"reason": "  "})
    assert "Indiquez la raison du refus" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = registrar.post(
            f"{QUEUE}{submission.pk}/refuser/", {"reason": "Aucune procuration reçue."}
        )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert (submission.status, submission.reason) == (
        SubmissionStatus.REFUSED,
        "Aucune procuration reçue.",
    )
    refused = mailbox.wait_for(responsible[0].email, "Votre demande a été refusée")
    assert "Aucune procuration reçue." in mailbox.body(refused)
    assert not Relation.objects.filter(contact=person, kind=RelationType.RESPONSIBLE).exists()
    mine = responsible_client.get(f"/organisation/demandes/{submission.pk}/").content.decode()
    assert "Refusée" in mine and "Aucune procuration reçue." in mine
    # Decided: neither applied nor refused again.
    again = registrar.post(f"{QUEUE}{submission.pk}/appliquer/").content.decode()
    assert "déjà été décidée" in again
    assert AuditEvent.objects.get(action=Action.FORM_REFUSED).data["reason"]


def test_applying_is_refused_once_its_author_no_longer_manages(named, registrar, responsible):
    _account, person, submission = named
    relation = responsible[2]
    relation.removed_at = relation.created_at
    relation.save()
    page = registrar.post(f"{QUEUE}{submission.pk}/appliquer/").content.decode()
    assert "ne gère plus les relations" in page
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED


@pytest.mark.parametrize("roles", [(), (Role.ACCOUNTING,), None])
def test_others_get_404(named, client, roles):
    _account, _person, submission = named
    if roles is None:
        client.force_login(AccountFactory())
    else:
        client.force_login(staff_member(*roles))
    for url in (QUEUE, f"{QUEUE}{submission.pk}/"):
        assert client.get(url).status_code == 404
    assert client.post(f"{QUEUE}{submission.pk}/appliquer/").status_code == 404
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED


def test_the_staff_home_links_the_queue_only_with_organizations(registrar, settings):
    home = registrar.get("/personnel/", follow=True).content.decode()
    assert 'href="/organisation/personnel/demandes/"' in home
    settings.GUICHET_PRESET = "comaq"
    home = registrar.get("/personnel/", follow=True).content.decode()
    assert "/organisation/personnel/" not in home
    assert registrar.get(QUEUE).status_code == 404


def test_the_queue_takes_a_fixed_number_of_queries(named, registrar, local, responsible_client):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert registrar.get(QUEUE).status_code == 200
        return len(queries)

    count()  # the first page of a session computes what the session then keeps
    few = count()
    for _ in range(5):
        _account, person = contact_with_account()
        relate(person, local, RelationType.STAFF)
        name_a_responsible(responsible_client, person)
    assert count() == few


def test_changing_personal_information_waits_but_coordinates_do_not(
    responsible_client, local, registrar
):
    _account, person = contact_with_account(first_name="Zoé", last_name="Ouellet")
    relate(person, local, RelationType.STAFF)
    form = {"contact": person.pk, "attest_exact": "on"}
    response = responsible_client.post(
        CHANGE, {**form, "what": "personal", "first_name": "Zoée", "last_name": "Ouellet"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.first_name == "Zoé"
    submission = Submission.objects.get(status=SubmissionStatus.SUBMITTED)
    responsible_client.post(
        CHANGE,
        {**form, "what": "communication", "phone_type": "mobile_phone", "phone": "514 555-0199"},
    )
    person.refresh_from_db()
    assert person.mobile_phone == "514 555-0199"
    registrar.post(f"{QUEUE}{submission.pk}/appliquer/")
    person.refresh_from_db()
    assert person.first_name == "Zoée"
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.APPLIED

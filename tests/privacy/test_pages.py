"""« Mes données » for the person, and the privacy officer's pages: closures to apply and
the register of confidentiality incidents. Staff without the privacy role, and everyone
else, get a 404."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse

from guichet import presets
from guichet.accounts.models import StaffRole
from guichet.audit.models import Action, AuditEvent
from guichet.privacy.models import ClosureRequest, ClosureStatus, DataExport, Incident
from guichet.privacy.services import closing
from tests.billing.cast import holder
from tests.factories import AccountFactory
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

INCIDENT = {
    "information_concerned": "Noms, courriels et numéros de dossier de 42 familles",
    "circumstances": "Une liste d'inscription envoyée par erreur à un mauvais destinataire.",
    "occurred_on": "2026-11-20",
    "known_on": "2026-11-21",
    "people_affected": "42",
    "risk_assessment": "Peu sensibles; destinataire connu, qui a détruit le courriel.",
    "measures": "Rappel du courriel, confirmation écrite de destruction, formation.",
}


@pytest.fixture
def officer(db, password):
    account = AccountFactory(password=password, is_staff=True)
    Authenticator.objects.create(user=account, type=Authenticator.Type.TOTP, data={})
    StaffRole.objects.create(account=account, role="privacy")
    return account


@pytest.fixture
def plain_staff(db, password):
    account = AccountFactory(password=password, is_staff=True)
    Authenticator.objects.create(user=account, type=Authenticator.Type.TOTP, data={})
    return account


def test_the_person_reads_what_is_erased_and_kept_in_plain_french(client, account):
    client.force_login(account)
    response = client.get(reverse("dossiers:my_data"))
    assert response.status_code == 200
    text = text_of(response)
    assert "Obtenir une copie de mes données" in text
    assert "Fermer mon compte" in text
    assert "Six ans après la fin de l'année qu'ils visent" in text
    assert "Votre numéro d'assurance sociale" in text


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("dossiers:my_data"))
    assert response.status_code == 302 and "/compte/login/" in response["Location"]


def test_asking_to_close_needs_the_box_ticked_then_is_recorded_and_can_be_withdrawn(
    client, password, mailbox, django_capture_on_commit_callbacks
):
    account, _file = holder(password=password)
    client.force_login(account)
    response = client.post(reverse("dossiers:my_data_closure"), {})
    assert response.status_code == 400
    assert "Cochez la case" in text_of(response)
    assert not ClosureRequest.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dossiers:my_data_closure"), {"understood": "on"})
    assert response.status_code == 302
    closure = ClosureRequest.objects.get()
    assert closure.account == account and closure.status == ClosureStatus.PENDING
    assert AuditEvent.objects.filter(action=Action.CLOSURE_REQUESTED, actor=account).exists()
    mailbox.wait_for(account.email, "fermeture de compte")
    assert "Retirer ma demande" in text_of(client.get(reverse("dossiers:my_data")))

    client.post(reverse("dossiers:my_data_withdraw"))
    closure.refresh_from_db()
    assert closure.status == ClosureStatus.WITHDRAWN
    assert AuditEvent.objects.filter(action=Action.CLOSURE_WITHDRAWN).exists()


@pytest.mark.parametrize(
    "name,args",
    [
        ("privacy:staff_index", []),
        ("privacy:incidents", []),
        ("privacy:new_incident", []),
        ("privacy:incidents_csv", []),
    ],
)
def test_staff_pages_answer_404_to_anyone_without_the_privacy_role(
    client, account, plain_staff, name, args
):
    for who in (account, plain_staff):
        client.force_login(who)
        assert client.get(reverse(name, args=args)).status_code == 404


def test_the_officer_reviews_and_applies_a_closure(client, officer, password):
    person, file = holder(password=password, last_name="Vachon-Ystad")
    closure = closing.request_closure(person)
    client.force_login(officer)
    index = client.get(reverse("privacy:staff_index"))
    assert "Vachon-Ystad" in text_of(index)
    page = client.get(reverse("privacy:staff_closure", args=[closure.pk]))
    text = text_of(page)
    assert "Factures et paiements" in text and "Six ans" in text
    assert client.post(reverse("privacy:staff_closure", args=[closure.pk]), {}).status_code == 400
    response = client.post(reverse("privacy:staff_closure", args=[closure.pk]), {"confirmed": "on"})
    assert response.status_code == 302
    closure.refresh_from_db()
    assert closure.status == ClosureStatus.APPLIED and closure.decided_by == officer
    file.refresh_from_db()
    assert file.last_name == "" and file.first_name == "Anonyme"
    assert client.get(reverse("privacy:staff_closure", args=[closure.pk])).status_code == 200
    assert client.get(reverse("privacy:staff_closure", args=[closure.pk + 99])).status_code == 404


def test_the_staff_index_reads_in_few_queries(
    client, officer, password, django_assert_max_num_queries
):
    for _n in range(5):
        closing.request_closure(holder(password=password)[0])
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("privacy:staff_index")).status_code == 200


def test_recording_an_incident_with_its_required_fields_is_audited(client, officer):
    client.force_login(officer)
    response = client.post(reverse("privacy:new_incident"), {**INCIDENT})
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.people_affected == 42 and incident.recorded_by == officer
    assert str(incident.known_on) == "2026-11-21"
    event = AuditEvent.objects.get(action=Action.INCIDENT_RECORDED)
    assert event.actor == officer and event.data["incident"] == incident.pk
    listing = text_of(client.get(reverse("privacy:incidents")))
    assert "Noms, courriels" in listing


def test_a_serious_risk_needs_the_commissions_notice_date(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("privacy:new_incident"), {**INCIDENT, "serious_injury_risk": "on"}
    )
    assert response.status_code == 400
    assert "Commission d'accès à l'information" in text_of(response)
    assert not Incident.objects.exists()
    response = client.post(
        reverse("privacy:new_incident"),
        {
            **INCIDENT,
            "serious_injury_risk": "on",
            "commission_notified_on": "2026-11-22",
            "people_notified_on": "2026-11-23",
        },
    )
    assert response.status_code == 302


def test_updating_an_incident_records_which_fields_changed(client, officer):
    client.force_login(officer)
    client.post(reverse("privacy:new_incident"), {**INCIDENT})
    incident = Incident.objects.get()
    url = reverse("privacy:incident", args=[incident.pk])
    assert client.get(url).status_code == 200
    client.post(url, {**INCIDENT, "people_notified_on": "2026-11-25"})
    event = AuditEvent.objects.get(action=Action.INCIDENT_CHANGED)
    assert event.data == {"incident": incident.pk, "changed": ["people_notified_on"]}


def test_the_register_is_exported_and_never_deleted(client, officer):
    client.force_login(officer)
    client.post(reverse("privacy:new_incident"), {**INCIDENT})
    response = client.get(reverse("privacy:incidents_csv"))
    assert response.status_code == 200
    body = response.content.decode("utf-8-sig")
    assert "renseignements personnels visés" in body
    assert "Une liste d'inscription envoyée" in body
    with pytest.raises(ProtectedError), transaction.atomic():
        Incident.objects.get().delete()
    assert Incident.objects.count() == 1


def test_the_incident_list_reads_in_few_queries(client, officer, django_assert_max_num_queries):
    client.force_login(officer)
    for _n in range(5):
        client.post(reverse("privacy:new_incident"), {**INCIDENT})
    with django_assert_max_num_queries(10):
        assert client.get(reverse("privacy:incidents")).status_code == 200


def test_the_privacy_officer_is_published_on_every_page(client, account):
    officer = presets.active().privacy_officer
    for url in ("/", "/confidentialite/"):
        assert officer.email in text_of(client.get(url))
    client.force_login(account)
    assert officer.email in text_of(client.get(reverse("dossiers:my_data")))


def test_a_copy_being_prepared_shows_its_progress_and_reads_the_page_again(client, account):
    DataExport.objects.create(account=account, progress=40)
    client.force_login(account)
    response = client.get(reverse("dossiers:my_data"))
    text = text_of(response)
    assert "En préparation (40 %)" in text
    assert "Préparer une copie de mes données" not in text  # one at a time
    assert "privacy/progress.js" in response.content.decode()

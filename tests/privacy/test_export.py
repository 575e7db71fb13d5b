"""« Mes données »: the archive holds every app's data on the person, and nothing of
anyone else's (a second family sharing a child); only its account downloads it, once,
after a fresh sign-in, until it expires; the request and the download are audited."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from guichet.audit.models import Action, AuditEvent
from guichet.organizations.models import RelationType, Submission, SubmissionStatus
from guichet.privacy import registry
from guichet.privacy.models import DataExport, ExportStatus
from guichet.privacy.services import exporting
from tests.memberships.cast import real_pdf
from tests.organizations.cast import organization, relate, subject
from tests.privacy.cast import (
    ANA_ALLERGIES,
    ANA_ANSWER,
    ANA_DOCUMENT,
    ANA_EMPLOYER,
    ANA_REQUEST_TEXT,
    ANA_STAFF_MESSAGE,
    BRUNO,
    BRUNO_ANSWER,
    two_families,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def families(password):
    return two_families(password)


def prepared(account, capture):
    with capture(execute=True):
        export = exporting.request_export(account)
    export.refresh_from_db()
    return export


def signed_in_freshly(client, account, password):
    client.force_login(account)
    client.post(reverse("account_reauthenticate"), {"password": password})
    return client


def unzip(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def table(files, name):
    return json.loads(files[f"{name}.json"])


def test_every_app_contributes_and_each_table_comes_as_json_and_csv(
    families, django_capture_on_commit_callbacks
):
    export = prepared(families.ana, django_capture_on_commit_callbacks)
    assert export.status == ExportStatus.READY and export.progress == 100
    files = unzip(exporting.take_download(families.ana, export.pk))
    folders = {name.split("/")[0] for name in files if "/" in name}
    expected = {c.name for c in registry.contributors() if c.export}
    assert {"account", "audit", "dossiers", "registrations", "billing", "requests"} <= expected
    assert folders == expected
    for name in files:
        if name.endswith(".json"):
            assert name[:-5] + ".csv" in files
    readme = files["README.txt"].decode()
    assert "registrations.json" in readme and "facture-" in readme


def test_the_archive_holds_each_kind_of_record_of_the_person(
    families, django_capture_on_commit_callbacks
):
    ana, ana_file, lea = families.ana, families.ana_file, families.lea
    export = prepared(ana, django_capture_on_commit_callbacks)
    files = unzip(exporting.take_download(ana, export.pk))

    account = table(files, "account/account")[0]
    assert (account["email"], account["first_name"], account["last_name"]) == (
        ana.email,
        ana.first_name,
        ana.last_name,
    )
    dossiers = {row["number"]: row for row in table(files, "dossiers/files")}
    assert set(dossiers) == {ana_file.number, lea.number}
    assert dossiers[ana_file.number]["home_street"] == "77, rue des Hirondelles"
    assert dossiers[ana_file.number]["role"] == "holder"
    assert dossiers[lea.number]["role"] == "guardian"
    assert table(files, "dossiers/profile_cards")[0]["allergies"] == ANA_ALLERGIES
    assert table(files, "dossiers/functions")[0]["employer"] == ANA_EMPLOYER
    consents = table(files, "dossiers/consents")
    assert [(c["file"], c["granted"], c["by_you"]) for c in consents] == [
        (ana_file.number, True, True)
    ]
    registrations = table(files, "registrations/registrations")
    assert [(r["offering"], r["participant_file"], r["answers"]) for r in registrations] == [
        ("Camp de jour Ana", lea.number, {"Santé": ANA_ANSWER})
    ]
    invoices = table(files, "billing/invoices")
    assert [(i["number"], i["total"]) for i in invoices] == [
        (families.ana_invoice.number, str(families.ana_invoice.total))
    ]
    assert table(files, "billing/invoice_lines")[0]["invoice"] == families.ana_invoice.number
    assert f"billing/documents/facture-{families.ana_invoice.number}.pdf" in files
    assert files[f"billing/documents/facture-{families.ana_invoice.number}.pdf"][:4] == b"%PDF"
    assert table(files, "requests/requests")[0]["data"]["comment"] == ANA_REQUEST_TEXT
    actions = {row["action"] for row in table(files, "audit/activity")}
    assert str(Action.REGISTERED.label) in actions
    assert str(Action.DATA_EXPORT_REQUESTED.label) in actions
    assert "Camp de jour Ana" in files["registrations/registrations.csv"].decode()


def test_the_archive_holds_the_memberships_and_attestations(
    families, member_ana, django_capture_on_commit_callbacks
):
    application, document, attestation = member_ana
    export = prepared(families.ana, django_capture_on_commit_callbacks)
    files = unzip(exporting.take_download(families.ana, export.pk))

    [applied] = table(files, "memberships/membership_applications")
    assert (applied["id"], applied["file"], applied["message"]) == (
        application.pk,
        families.ana_file.number,
        ANA_STAFF_MESSAGE,
    )
    [sent] = table(files, "memberships/membership_documents")
    assert (sent["application"], sent["file_name"]) == (application.pk, ANA_DOCUMENT)
    # The document itself, as sent, where the table says.
    assert files[f"memberships/{sent['in_this_archive']}"] == real_pdf()
    [issued] = [
        row
        for row in table(files, "credentials/attestations")
        if row["code"] == attestation.display_code
    ]
    assert (issued["code"], issued["name"], issued["subject"]) == (
        attestation.display_code,
        attestation.holder_name,
        "Membre régulier",
    )
    [listing] = table(files, "credentials/directory_listing")
    assert (listing["file"], listing["show_employer"]) == (families.ana_file.number, True)
    # Bruno shares Léa with Ana, not Ana's membership.
    bruno_export = prepared(families.bruno, django_capture_on_commit_callbacks)
    bruno_files = unzip(exporting.take_download(families.bruno, bruno_export.pk))
    assert table(bruno_files, "memberships/membership_applications") == []
    assert table(bruno_files, "credentials/attestations") == []


def test_nothing_of_the_other_family_leaks(families, django_capture_on_commit_callbacks):
    export = prepared(families.ana, django_capture_on_commit_callbacks)
    files = unzip(exporting.take_download(families.ana, export.pk))
    text = "\n".join(
        content.decode() for name, content in files.items() if not name.endswith(".pdf")
    )
    for value in (
        *BRUNO.values(),
        BRUNO_ANSWER,
        families.bruno_file.number,
        families.bruno_invoice.number,
        families.bruno_own_invoice.number,
        "Natation Bruno",
        "Yoga Barnabé",
        "Barnabé demande",
    ):
        assert value not in text, value
    assert not [name for name in files if families.bruno_invoice.number in name]


def test_another_account_gets_404_and_the_owner_downloads_once(
    client, families, password, django_capture_on_commit_callbacks
):
    export = prepared(families.ana, django_capture_on_commit_callbacks)
    url = reverse("dossiers:my_data_download", args=[export.pk])

    signed_in_freshly(client, families.bruno, password)
    assert client.get(url).status_code == 404
    export.refresh_from_db()
    assert export.status == ExportStatus.READY

    signed_in_freshly(client, families.ana, password)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    assert "README.txt" in unzip(response.content)
    assert client.get(url).status_code == 404  # once
    export.refresh_from_db()
    assert export.status == ExportStatus.DOWNLOADED
    assert not (exporting.export_dir() / export.file_name).exists()
    downloaded = AuditEvent.objects.get(action=Action.DATA_EXPORT_DOWNLOADED)
    assert downloaded.actor == families.ana and downloaded.data["export"] == export.pk


def test_downloading_asks_for_the_password_again(
    client, families, django_capture_on_commit_callbacks
):
    export = prepared(families.ana, django_capture_on_commit_callbacks)
    client.force_login(families.ana)
    response = client.get(reverse("dossiers:my_data_download", args=[export.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_a_stale_archive_expires_and_is_erased(
    client, families, password, django_capture_on_commit_callbacks
):
    export = prepared(families.ana, django_capture_on_commit_callbacks)
    path = exporting.export_dir() / export.file_name
    assert path.exists()
    with time_machine.travel(timezone.now() + timezone.timedelta(days=7, minutes=1)):
        signed_in_freshly(client, families.ana, password)
        url = reverse("dossiers:my_data_download", args=[export.pk])
        assert client.get(url).status_code == 404
        assert client.get(reverse("dossiers:my_data")).status_code == 200
    export.refresh_from_db()
    assert export.status == ExportStatus.EXPIRED
    assert not path.exists()


def test_asking_is_audited_and_the_person_is_emailed(
    client, families, mailbox, django_capture_on_commit_callbacks
):
    client.force_login(families.ana)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dossiers:my_data_copy"))
    assert response.status_code == 302
    export = DataExport.objects.get()
    assert export.account == families.ana and export.status == ExportStatus.READY
    event = AuditEvent.objects.get(action=Action.DATA_EXPORT_REQUESTED)
    assert event.actor == families.ana and event.data == {"export": export.pk}
    ready = mailbox.wait_for(families.ana.email, "copie de vos données")
    assert "/mon-dossier/mes-donnees/" in mailbox.body(ready)


def test_the_archive_holds_the_persons_organization_relations_and_forms(
    families, django_capture_on_commit_callbacks
):
    local = organization("Syndicat local 1234")
    relate(families.ana_file, local, RelationType.RESPONSIBLE, {"profil": "write"})
    relate(families.bruno_file, organization("Autre employeur"), RelationType.STAFF)
    Submission.objects.create(
        form="change-contact",
        submitted_by=families.ana,
        organization=local,
        changes=[{"what": "Courriel", "before": "a@exemple.ca", "after": "b@exemple.ca"}],
        status=SubmissionStatus.REFUSED,
        reason="Adresse non vérifiée",
    )
    Submission.objects.create(form="send-codes", submitted_by=families.bruno, organization=local)

    export = prepared(families.ana, django_capture_on_commit_callbacks)
    files = unzip(exporting.take_download(families.ana, export.pk))
    [relation] = table(files, "organizations/organization_relations")
    assert (relation["file"], relation["organization"], relation["function"]) == (
        families.ana_file.number,
        "Syndicat local 1234",
        "Personne responsable",
    )
    assert relation["subjects"] == [{"subject": subject("profil").name_fr, "right": "Écriture"}]
    assert relation["end_date"] is None
    [sent] = table(files, "organizations/organization_forms")
    assert sent["form"].startswith("Modifier")
    assert (sent["status"], sent["reason"]) == ("Refusée", "Adresse non vérifiée")
    assert sent["changes"] == [
        {"what": "Courriel", "before": "a@exemple.ca", "after": "b@exemple.ca"}
    ]
    assert "organizations/organization_forms.csv" in files

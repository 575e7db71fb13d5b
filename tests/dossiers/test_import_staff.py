"""The staff import page: access control, upload, dry-run report, real run and progress."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from guichet.audit.models import Action, AuditEvent
from guichet.dossiers.models import Dossier, DossierImport, ImportStatus
from guichet.dossiers.services import importing
from tests.dossiers.test_import_limits import bomb
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

CSV = (
    "numero;prenom;nom;date_naissance;code_postal\n"
    "10001;Marie;Tremblay;1982/04/17;g4z1a1\n"
    "10002;Jean;;1975-11-30;G7H 2B4\n"
    "10003;Léa;Roy;2001-05-06;H3Z 1E6\n"
).encode()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def staff_client(client, staff):
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={})
    client.force_login(staff)
    return client


@pytest.fixture
def stored_import(staff):
    return DossierImport.objects.create(
        file=SimpleUploadedFile("dossiers.csv", CSV),
        original_name="dossiers.csv",
        status=ImportStatus.RUNNING,
        total_rows=100,
        processed_rows=52,
        started_by=staff,
    )


def staff_urls(pk: int) -> list[tuple[str, str]]:
    return [
        ("get", reverse("dossiers:staff_import")),
        ("get", reverse("dossiers:staff_import_detail", args=[pk])),
        ("get", reverse("dossiers:staff_import_progress", args=[pk])),
        ("post", reverse("dossiers:staff_import_launch", args=[pk])),
    ]


def test_visitor_is_sent_to_sign_in(client, stored_import):
    for method, url in staff_urls(stored_import.pk):
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_outsider_gets_404_on_every_import_page(client, outsider, stored_import):
    client.force_login(outsider)
    for method, url in staff_urls(stored_import.pk):
        assert getattr(client, method)(url).status_code == 404, url
    assert DossierImport.objects.count() == 1


def test_unknown_import_is_404_for_staff(staff_client):
    assert staff_client.get(reverse("dossiers:staff_import_detail", args=[999])).status_code == 404


def test_wrong_file_type_is_refused_beside_the_field(staff_client):
    upload = SimpleUploadedFile("dossiers.pdf", b"%PDF")
    response = staff_client.post(reverse("dossiers:staff_import"), {"file": upload})
    assert response.status_code == 200
    assert "Choisissez un fichier CSV ou XLSX." in text_of(response)
    assert not DossierImport.objects.exists()


def test_running_import_shows_a_progress_bar_with_its_percentage(staff_client, stored_import):
    response = staff_client.get(reverse("dossiers:staff_import_detail", args=[stored_import.pk]))
    page = text_of(response)
    assert '<progress id="import-bar" max="100" value="52">' in page
    assert "52 % (52 sur 100 lignes)" in page
    assert "dossiers/import-progress.js" in page
    progress = staff_client.get(reverse("dossiers:staff_import_progress", args=[stored_import.pk]))
    assert progress.json() == {
        "status": "running",
        "percent": 52,
        "processed_rows": 52,
        "total_rows": 100,
        "done": False,
    }


def test_upload_dry_run_then_import_with_report(
    staff_client, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("dossiers:staff_import"),
            {"file": SimpleUploadedFile("dossiers.csv", CSV, content_type="text/csv")},
        )
    dry_run = DossierImport.objects.get()
    assert response["Location"] == reverse("dossiers:staff_import_detail", args=[dry_run.pk])
    assert not Dossier.objects.exists()

    page = text_of(staff_client.get(response["Location"]))
    assert "Essai à blanc terminé" in page
    assert "<td>3</td><td>Le nom de famille est manquant pour une personne.</td>" in page
    assert "Lancer l'importation" in page
    assert "<progress" not in page

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("dossiers:staff_import_launch", args=[dry_run.pk]))
    real = DossierImport.objects.get(dry_run=False)
    assert response["Location"] == reverse("dossiers:staff_import_detail", args=[real.pk])
    assert (real.status, real.created_count, real.updated_count) == (ImportStatus.DONE, 2, 0)
    assert sorted(Dossier.objects.values_list("number", flat=True)) == ["10001", "10003"]
    assert AuditEvent.objects.get(action=Action.DOSSIER_IMPORTED).actor == staff

    page = text_of(staff_client.get(response["Location"]))
    assert "Importation terminée." in page
    assert "Lancer l'importation" not in page
    progress = staff_client.get(reverse("dossiers:staff_import_progress", args=[real.pk])).json()
    assert (progress["percent"], progress["done"]) == (100, True)

    # The file held personal data (and maybe password hashes): it is gone, and the dry
    # run cannot be launched a second time.
    assert not dry_run.file.storage.exists(dry_run.file.name)
    response = staff_client.post(
        reverse("dossiers:staff_import_launch", args=[dry_run.pk]), follow=True
    )
    assert "ne peut plus être importé" in text_of(response)
    assert DossierImport.objects.filter(dry_run=False).count() == 1


def test_sending_the_form_without_a_file_says_so(staff_client):
    response = staff_client.post(reverse("dossiers:staff_import"), {})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in text_of(response)
    assert not DossierImport.objects.exists()


def test_import_whose_file_is_gone_fails_with_a_reason(staff):
    from guichet.dossiers.tasks import run_dossier_import

    lost = DossierImport.objects.create(
        file="imports/disparu.csv", original_name="disparu.csv", started_by=staff
    )
    run_dossier_import(lost.pk)
    lost.refresh_from_db()
    assert lost.status == ImportStatus.FAILED
    assert lost.errors == [{"line": 1, "message": "Le fichier enregistré n'est plus disponible."}]
    assert not AuditEvent.objects.filter(action=Action.DOSSIER_IMPORTED).exists()


def test_a_dry_run_is_launched_once_even_when_asked_twice(
    staff_client, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            reverse("dossiers:staff_import"),
            {"file": SimpleUploadedFile("dossiers.csv", CSV, content_type="text/csv")},
        )
    dry_run = DossierImport.objects.get()

    importing.launch_import(dry_run, actor=staff)
    with pytest.raises(importing.CannotLaunch):
        importing.launch_import(dry_run, actor=staff)

    assert DossierImport.objects.filter(dry_run=False).count() == 1


def test_a_decompression_bomb_sent_by_the_page_is_refused_with_a_short_french_reason(
    staff_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("dossiers:staff_import"),
            {"file": SimpleUploadedFile("dossiers.xlsx", bomb(150))},
        )
    dry_run = DossierImport.objects.get()
    assert dry_run.status == ImportStatus.FAILED
    assert len(str(dry_run.errors)) < 1000  # not the 150 MB cell
    page = text_of(staff_client.get(response["Location"]))
    assert "Ce fichier XLSX est refusé" in page
    assert "Lancer l'importation" not in page

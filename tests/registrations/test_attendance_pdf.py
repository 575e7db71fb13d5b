"""The attendance confirmation PDF: only for an attended training the account may see."""

from __future__ import annotations

import datetime
import re
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from guichet.dossiers.models import LinkRole
from tests.dossiers.factories import ChildDossierFactory, DossierLinkFactory
from tests.registrations.factories_mine import (
    OfferingFactory,
    RegistrationFactory,
    SessionFactory,
    holder_of,
)

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes, folder: Path) -> str:
    path = folder / "attestation.pdf"
    path.write_bytes(content)
    subprocess.run(["pdftotext", "-layout", str(path), str(folder / "a.txt")], check=True)
    return (folder / "a.txt").read_text()


@pytest.fixture
def attended(client, account):
    dossier = holder_of(account, first_name="Mathilde", last_name="Bérubé")
    offering = OfferingFactory(
        title="Rédaction des procès-verbaux",
        starts_on=datetime.date(2026, 10, 6),
        ends_on=datetime.date(2026, 10, 7),
    )
    SessionFactory(offering=offering)
    client.force_login(account)
    return RegistrationFactory(offering=offering, participant=dossier, attended=True)


def test_participant_downloads_a_pdf_naming_them_and_the_training(client, attended, tmp_path):
    response = client.get(reverse("registrations:attendance_pdf", args=[attended.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content, tmp_path)
    assert "Attestation de présence" in text
    assert "Mathilde Bérubé" in text
    assert "Rédaction des procès-verbaux" in text
    assert "6 octobre 2026" in text and "7 octobre 2026" in text
    assert re.search(r"Heures\s+7\s?h", text)  # pdftotext may drop the thin space


def test_first_page_renders_to_a_real_image(client, attended, tmp_path):
    response = client.get(reverse("registrations:attendance_pdf", args=[attended.pk]))
    pdf = tmp_path / "attestation.pdf"
    pdf.write_bytes(response.content)

    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "50",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(tmp_path / "page"),
        ],
        check=True,
    )

    image = tmp_path / "page.png"
    assert image.exists()
    assert image.read_bytes().startswith(b"\x89PNG")
    assert image.stat().st_size > 5_000  # text and the operator's header, not a blank page


def test_pdf_speaks_the_participants_language(client, account, tmp_path):
    dossier = holder_of(account, first_name="John", last_name="Smith", language="en")
    offering = OfferingFactory(title="Records", title_en="Records management")
    registration = RegistrationFactory(offering=offering, participant=dossier, attended=True)
    client.force_login(account)

    response = client.get(reverse("registrations:attendance_pdf", args=[registration.pk]))

    text = pdf_text(response.content, tmp_path)
    assert "Attendance confirmation" in text and "Records management" in text


def test_guardian_downloads_the_childs_confirmation(client, account):
    child = ChildDossierFactory()
    DossierLinkFactory(account=account, dossier=child, role=LinkRole.GUARDIAN)
    registration = RegistrationFactory(
        participant=child, attended=True, registered_by=account, right="guardian"
    )
    client.force_login(account)

    response = client.get(reverse("registrations:attendance_pdf", args=[registration.pk]))

    assert response.status_code == 200


def test_outsider_gets_404(client, attended, outsider):
    client.force_login(outsider)

    response = client.get(reverse("registrations:attendance_pdf", args=[attended.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("attended_value", [None, False])
def test_not_attended_gets_404(client, attended, attended_value):
    attended.attended = attended_value
    attended.save()

    response = client.get(reverse("registrations:attendance_pdf", args=[attended.pk]))

    assert response.status_code == 404


def test_visitor_is_sent_to_sign_in(client, attended):
    client.logout()

    response = client.get(reverse("registrations:attendance_pdf", args=[attended.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))

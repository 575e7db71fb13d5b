"""Ana as a member too: a membership application with a document, a membership
attestation in her name and a listing in the members directory (used with the
``families`` fixture of the module that asks for it)."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from guichet.credentials.models import Attestation, AttestationKind, DirectoryListing
from guichet.memberships.models import Application, ApplicationDocument, DocumentKind
from tests.memberships.cast import member_types, real_pdf
from tests.privacy.cast import ANA, ANA_DOCUMENT, ANA_STAFF_MESSAGE


@pytest.fixture
def member_ana(families, settings, tmp_path):
    """Ana also applied to become a member (with a document), holds a membership
    attestation in her name and is listed in the members directory."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    application = Application.objects.create(
        dossier=families.ana_file,
        applicant=families.ana,
        member_type=member_types()["membre-regulier"],
        message=ANA_STAFF_MESSAGE,
    )
    document = ApplicationDocument.objects.create(
        application=application,
        kind=DocumentKind.HIRING_RESOLUTION,
        file=ContentFile(real_pdf(), name="resolution.pdf"),
        original_name=ANA_DOCUMENT,
        size=1,
    )
    attestation = Attestation.objects.create(
        kind=AttestationKind.MEMBERSHIP,
        dossier=families.ana_file,
        holder_name=f"{ANA['first_name']} {ANA['last_name']}",
        subject="Membre régulier",
        attested_on=timezone.localdate(),
    )
    Attestation.objects.create(  # an earlier one, revoked by staff who named her
        kind=AttestationKind.MEMBERSHIP,
        dossier=families.ana_file,
        holder_name=f"{ANA['first_name']} {ANA['last_name']}",
        subject="Membre régulier",
        attested_on=timezone.localdate() - timezone.timedelta(days=400),
        status="revoked",
        revoked_at=timezone.now(),
        revocation_reason=f"Erreur de saisie : {ANA['last_name']} n'était pas membre",
    )
    DirectoryListing.objects.create(dossier=families.ana_file, region="03", show_employer=True)
    return application, document, attestation

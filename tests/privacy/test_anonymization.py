"""Closing an account: after it, no personal value of the person remains in any table
but the columns kept on purpose (accounting documents, declared by their app), invoices
are intact and their numbering has no gap, the other family keeps everything, and the
audit trail shows the anonymization."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import models, transaction
from django.db.models import ProtectedError
from django.db.models.functions import Cast

from guichet.audit.models import Action, AuditEvent
from guichet.billing.models import Invoice, InvoiceLine
from guichet.credentials.models import Attestation, DirectoryListing
from guichet.dossiers.models import DossierLink
from guichet.memberships.models import ApplicationDocument
from guichet.organizations import privacy as organizations_privacy
from guichet.organizations.models import RelationType, Submission, SubmissionStatus
from guichet.privacy import registry
from guichet.privacy.models import ClosureRequest, ClosureStatus, Consent
from guichet.privacy.services import closing
from guichet.registrations.models import Registration
from tests.organizations.cast import organization, relate
from tests.privacy.cast import (
    ANA,
    ANA_ALLERGIES,
    ANA_ANSWER,
    ANA_DOCUMENT,
    ANA_EMPLOYER,
    ANA_FILE,
    ANA_STAFF_MESSAGE,
    BRUNO,
    BRUNO_ANSWER,
    two_families,
)

pytestmark = pytest.mark.django_db

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


@pytest.fixture
def families(password):
    return two_families(password)


def closed(families, staff):
    closure = closing.request_closure(families.ana)
    return closing.apply_closure(closure.pk, actor=staff)


def holding(value: str) -> list[str]:
    """Every column of every model (but those kept on purpose) that holds ``value``."""
    kept = registry.kept_fields()
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, TEXT_FIELDS):
                continue
            name = f"{model._meta.label}.{field.name}"
            if name in kept:
                continue
            column = Cast(field.name, models.TextField())
            rows = model._default_manager.annotate(_as_text=column).filter(
                _as_text__icontains=value
            )
            if rows.exists():
                found.append(name)
    return found


def test_no_personal_value_remains_outside_what_is_kept_on_purpose(families, member_ana, staff):
    forgotten = [
        ANA_DOCUMENT,
        ANA_STAFF_MESSAGE,
        *ANA.values(),
        *ANA_FILE.values(),
        ANA_ALLERGIES,
        ANA_EMPLOYER,
        ANA_ANSWER,
        "Ana-7731",
        "Léa-4410",
        "requête 5521",
    ]
    assert all(
        holding(value) for value in (ANA["email"], ANA_ALLERGIES, ANA_DOCUMENT, ANA_STAFF_MESSAGE)
    )  # the scan finds
    closed(families, staff)
    for value in forgotten:
        assert holding(value) == [], value
    # Kept on purpose, and said so: the invoice as issued, to her name.
    invoice = Invoice.objects.get(pk=families.ana_invoice.pk)
    assert ANA["last_name"] in invoice.payer_name
    assert invoice.payer_name == families.ana_invoice.payer_name


def test_memberships_and_credentials_keep_their_facts_without_the_person(
    families, member_ana, staff, django_capture_on_commit_callbacks
):
    application, document, attestation = member_ana
    storage, name = document.file.storage, document.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        closure = closed(families, staff)
    assert not storage.exists(name)  # the document is gone from the storage
    assert not ApplicationDocument.objects.filter(application=application).exists()
    application.refresh_from_db()
    assert (application.status, application.member_type.slug, application.message) == (
        "submitted",
        "membre-regulier",
        "",
    )
    attestation.refresh_from_db()
    assert attestation.holder_name == "Anonyme"
    assert (attestation.code, attestation.subject, attestation.status) == (
        member_ana[2].code,
        "Membre régulier",
        "valid",
    )
    assert not DirectoryListing.objects.filter(dossier=families.ana_file).exists()
    revoked = Attestation.objects.get(status="revoked")
    assert revoked.revocation_reason == "Erreur de saisie : […] n'était pas membre"
    assert closure.outcome["memberships"] == {"documents_deleted": 1, "applications_erased": 1}
    assert closure.outcome["credentials"] == {
        "directory_listings": 1,
        "attestations_anonymized": 2,
    }


def test_invoices_stay_intact_and_numbering_gapless(families, staff):
    before = {
        i.pk: (i.number, i.total, i.amount_paid, i.payer_name, i.payer_email)
        for i in Invoice.objects.all()
    }
    lines_before = list(InvoiceLine.objects.values_list("pk", "total", "description"))
    closed(families, staff)
    after = {
        i.pk: (i.number, i.total, i.amount_paid, i.payer_name, i.payer_email)
        for i in Invoice.objects.all()
    }
    assert after == before
    assert list(InvoiceLine.objects.values_list("pk", "total", "description")) == lines_before
    numbers = sorted(int(number.rsplit("-", 1)[1]) for number, *_ in after.values())
    assert numbers == list(range(1, len(numbers) + 1))
    for invoice in Invoice.objects.all():
        assert invoice.total == sum(line.total for line in invoice.lines.all())
    with pytest.raises(ProtectedError), transaction.atomic():
        Invoice.objects.get(pk=families.ana_invoice.pk).delete()


def test_the_registrations_financial_part_stays_and_the_answers_go(families, staff):
    closed(families, staff)
    registration = Registration.objects.get(pk=families.ana_registration.pk)
    assert registration.answers == {}
    assert registration.unit_price == families.ana_registration.unit_price
    assert registration.status == families.ana_registration.status


def test_the_other_family_keeps_everything_and_the_shared_child_keeps_her_file(families, staff):
    closed(families, staff)
    bruno = families.bruno
    bruno.refresh_from_db()
    assert (bruno.first_name, bruno.last_name, bruno.email) == (
        BRUNO["first_name"],
        BRUNO["last_name"],
        BRUNO["email"],
    )
    assert bruno.is_active
    lea = families.lea
    lea.refresh_from_db()
    assert lea.first_name == "Léa"  # another guardian still manages her file
    assert DossierLink.objects.active().filter(dossier=lea, account=bruno).exists()
    assert not DossierLink.objects.active().filter(account=families.ana).exists()
    assert Registration.objects.get(pk=families.bruno_registration.pk).answers == {
        "Santé": BRUNO_ANSWER
    }
    file = families.bruno_file
    file.refresh_from_db()
    assert file.last_name == BRUNO["last_name"]


def test_the_account_can_no_longer_sign_in_and_its_sessions_end(client, families, staff, password):
    client.force_login(families.ana)
    assert Session.objects.exists()
    closed(families, staff)
    ana = families.ana
    ana.refresh_from_db()
    assert not ana.is_active and not ana.has_usable_password()
    assert ana.email.endswith("@anonyme.invalid")
    assert client.get("/mon-dossier/").status_code == 302  # signed out


def test_the_trail_shows_the_anonymization_with_counts_only(families, staff):
    closure = closed(families, staff)
    event = AuditEvent.objects.get(action=Action.ACCOUNT_ANONYMIZED)
    assert event.actor == staff and event.subject == families.ana
    assert event.dossier == families.ana_file
    assert event.data["outcome"]["dossiers"]["files"] == 1
    assert event.data["outcome"]["registrations"]["answers_erased"] == 1
    assert closure.status == ClosureStatus.APPLIED
    assert closure.outcome == event.data["outcome"]
    assert AuditEvent.objects.filter(action=Action.REGISTERED, actor=families.ana).exists()


def test_consents_stay_as_proof_and_every_subscription_ends(families, staff):
    closed(families, staff)
    latest = Consent.objects.current_for(families.ana_file)
    assert latest and not any(consent.granted for consent in latest.values())
    assert not Consent.objects.filter(dossier=families.ana_file).exclude(ip_address=None)
    assert Consent.objects.current_for(families.bruno_file)  # Bruno's stay granted
    assert all(c.granted for c in Consent.objects.current_for(families.bruno_file).values())


def test_applying_twice_is_refused(families, staff):
    closure = closed(families, staff)
    with pytest.raises(closing.ClosureNotPending):
        closing.apply_closure(closure.pk, actor=staff)
    assert ClosureRequest.objects.count() == 1


def test_the_person_is_told_at_the_address_they_had(
    families, staff, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        closed(families, staff)
    message = mailbox.wait_for(ANA["email"], "compte est fermé")
    assert "six ans" in mailbox.body(message).lower() or "6 ans" in mailbox.body(message)


def test_closing_ends_the_relations_and_erases_the_decided_forms(families, staff):
    local = organization("Syndicat local 1234")
    relation = relate(families.ana_file, local, RelationType.RESPONSIBLE, {"profil": "write"})
    refused = Submission.objects.create(
        form="change-contact",
        submitted_by=families.ana,
        organization=local,
        changes=[{"what": "Courriel", "before": "a@exemple.ca", "after": "b@exemple.ca"}],
        status=SubmissionStatus.REFUSED,
        reason="Adresse non vérifiée",
    )
    assert organizations_privacy.holds(families.ana) is None
    waiting = Submission.objects.create(
        form="send-codes", submitted_by=families.ana, organization=local, payload={"x": 1}
    )
    assert organizations_privacy.holds(families.ana) == "open_organization_form"
    waiting.delete()

    closed(families, staff)
    relation.refresh_from_db()
    refused.refresh_from_db()
    assert relation.removed_at is not None
    assert not relation.subjects.filter(removed_at__isnull=True).exists()
    assert (refused.changes, refused.reason, refused.status) == ([], "", SubmissionStatus.REFUSED)

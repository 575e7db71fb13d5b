"""A confirmed registration with something owed waits for payment with its invoice."""

from __future__ import annotations

from decimal import Decimal

import pytest

from guichet.billing.models import Invoice
from guichet.registrations.models import RegistrationStatus
from tests.billing.cast import child_of, holder, invoiced
from tests.catalog.factories import OfferingFactory, OptionFactory

pytestmark = pytest.mark.django_db


def test_confirming_a_paid_registration_issues_one_invoice_to_the_participant(mailbox):
    account, dossier = holder()
    registration, invoice = invoiced(account, dossier, non_member_price=Decimal("100.00"))
    assert registration.status == RegistrationStatus.PENDING_PAYMENT
    assert invoice.payer_dossier == dossier and invoice.payer_account == account
    assert invoice.number.startswith(f"F-{invoice.year}-")
    assert (invoice.subtotal, invoice.gst, invoice.qst, invoice.total) == (
        Decimal("100.00"),
        Decimal("5.00"),
        Decimal("9.98"),
        Decimal("114.98"),
    )
    assert invoice.due_at is not None
    assert invoice.status == "unpaid"


def test_a_guardian_is_billed_for_the_child_and_the_child_is_named_on_the_line():
    guardian, guardian_dossier = holder()
    child = child_of(guardian, first_name="Léa")
    _registration, invoice = invoiced(guardian, child, tax_exempt=True)
    assert invoice.payer_dossier == guardian_dossier
    assert invoice.participant == child
    line = invoice.lines.get()
    assert "Léa" in line.description
    assert invoice.gst == invoice.qst == Decimal("0.00")


def test_each_registration_has_its_own_invoice_never_grouped():
    guardian, _ = holder()
    first, second = child_of(guardian), child_of(guardian)
    _, one = invoiced(guardian, first)
    _, two = invoiced(guardian, second, offering=one.source.offering)
    assert one.pk != two.pk
    assert Invoice.objects.filter(payer_account=guardian).count() == 2


def test_a_card_only_option_is_billed_on_a_card_only_invoice_of_its_own():
    account, dossier = holder()
    gala = OptionFactory(name="Accompagnateur — soirée gala", price=Decimal("150.00"))
    gala.kind, gala.card_only = "companion", True
    gala.save()
    registration, fee = invoiced(
        account, dossier, gala.offering, options={gala.pk: 1}, companions={gala.pk: ["Paul"]}
    )
    assert not fee.card_only
    companions = registration.invoices.get(card_only=True)
    assert companions.lines.filter(card_only=True, description__contains="Paul").exists()


def test_a_delegate_bills_its_organization_and_sees_the_invoice_it_caused():
    from guichet.dossiers.models import Delegation, DossierKind
    from tests.dossiers.factories import DossierFactory

    delegate, _ = holder()
    town = DossierFactory(kind=DossierKind.ORGANIZATION, organization_name="Ville de Rimouski")
    Delegation.objects.create(account=delegate, organization=town)
    participant, participant_dossier = holder()
    registration, invoice = invoiced(delegate, participant_dossier)
    assert registration.right == "delegate"
    assert invoice.payer_dossier == town and invoice.payer_name == "Ville de Rimouski"
    assert invoice.caused_by == delegate
    assert Invoice.objects.visible_to(delegate).filter(pk=invoice.pk).exists()
    # The participant did not register nor pay: the organization's invoice is not theirs.
    assert not Invoice.objects.visible_to(participant).filter(pk=invoice.pk).exists()


def test_second_guardian_cannot_see_first_guardians_invoices():
    first, _ = holder()
    second, _ = holder()
    child = child_of(first, second)
    _, invoice = invoiced(first, child)
    assert Invoice.objects.visible_to(first).filter(pk=invoice.pk).exists()
    assert not Invoice.objects.visible_to(second).exists()


def test_a_second_guardian_cannot_confirm_the_first_guardians_registration(client):
    from django.urls import reverse

    from tests.billing.cast import submit_line

    first, _ = holder()
    second, _ = holder()
    child = child_of(first, second)
    registration = submit_line(first, child, OfferingFactory())
    client.force_login(second)
    response = client.post(reverse("registrations:confirm", args=[registration.pk]))
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.HELD
    assert not Invoice.objects.filter(registration=registration).exists()

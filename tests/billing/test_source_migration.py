"""The migration that made billing a ledger keeps what the old foreign keys said: an
invoice of a registration becomes an invoice *for* that registration (its source), a line
that billed an option keeps the option as its reference — and back again."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from guichet.registrations.models import Registration
from guichet.registrations.services.register import ToRegister, submit_cart
from tests.billing.cast import holder
from tests.catalog.factories import OfferingFactory, OptionFactory

BEFORE = [("billing", "0002_invoice_source_columns")]
AFTER = [("billing", "0004_drop_registration_and_option_keys")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_registration_and_option_keys_become_a_source_and_a_reference_and_back():
    offering = OfferingFactory(non_member_price=Decimal("100.00"))
    gala = OptionFactory(offering=offering, price=Decimal("40.00"))
    account, dossier = holder()
    result = submit_cart(
        actor=account,
        lines=[ToRegister(offering, dossier, {gala.pk: 1}, {})],
        idempotency_key=uuid.uuid4().hex,
    )
    registration = Registration.objects.get(pk=result["lines"][0]["registration"])
    try:
        old = migrate(BEFORE)
        Invoice = old.get_model("billing", "Invoice")
        InvoiceLine = old.get_model("billing", "InvoiceLine")
        invoice = Invoice.objects.create(
            number="F-2026-99999",
            year=2026,
            payer_name="Payeur",
            registration_id=registration.pk,
            subtotal=Decimal("140.00"),
            gst=Decimal("0.00"),
            qst=Decimal("0.00"),
            total=Decimal("140.00"),
        )
        for description, amount, option in (("Frais", "100.00", None), ("Gala", "40.00", gala)):
            InvoiceLine.objects.create(
                invoice=invoice,
                description=description,
                unit_price=Decimal(amount),
                amount=Decimal(amount),
                gst=Decimal("0.00"),
                qst=Decimal("0.00"),
                total=Decimal(amount),
                option_id=option.pk if option else None,
            )

        new = migrate(AFTER)
        moved = new.get_model("billing", "Invoice").objects.get(pk=invoice.pk)
        ContentType = new.get_model("contenttypes", "ContentType")
        kind = ContentType.objects.get(pk=moved.source_type_id)
        assert (kind.app_label, kind.model, moved.source_id) == (
            "registrations",
            "registration",
            registration.pk,
        )
        lines = new.get_model("billing", "InvoiceLine").objects.filter(invoice_id=invoice.pk)
        assert sorted(lines.values_list("description", "reference")) == [
            ("Frais", ""),
            ("Gala", f"option:{gala.pk}"),
        ]

        back = migrate(BEFORE)
        restored = back.get_model("billing", "Invoice").objects.get(pk=invoice.pk)
        assert restored.registration_id == registration.pk
        lines = back.get_model("billing", "InvoiceLine").objects.filter(invoice_id=invoice.pk)
        assert sorted(lines.values_list("description", "option_id")) == [
            ("Frais", None),
            ("Gala", gala.pk),
        ]
    finally:
        # Back to the latest state (later migrations of any app included).
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

"""« Paiements et relevés »: in read, the organization's invoices are seen, through
billing's own pages, but not paid; in write they are paid."""

from __future__ import annotations

from decimal import Decimal

import pytest

from guichet.billing.services.invoicing import DraftLine, Payer, issue_invoice
from guichet.organizations.models import RelationType
from tests.factories import AccountFactory
from tests.organizations.cast import act_as, contact_with_account, relate

pytestmark = pytest.mark.django_db  # the demo preset: organizations and billing


@pytest.fixture
def invoice(local):
    staff = AccountFactory(is_staff=True)
    return issue_invoice(
        payer=Payer(local, None),
        lines=[DraftLine(description="Cotisation syndicale", unit_price=Decimal("120.00"))],
        actor=staff,
        description="Cotisation syndicale",
    )


def contact_client(client, local, level):
    account, person = contact_with_account()
    relate(person, local, RelationType.STAFF, {"paiements": level})
    act_as(client, account, local)
    return client


def test_read_sees_the_invoice_and_cannot_pay_it(client, local, invoice):
    reader = contact_client(client, local, "read")
    statement = reader.get("/organisation/etat-de-compte/").content.decode()
    assert invoice.number in statement
    page = reader.get(f"/factures/{invoice.pk}/").content.decode()
    assert invoice.number in page and "Payer cette facture" not in page
    assert reader.post(f"/factures/{invoice.pk}/payer/").status_code == 404
    assert reader.post(f"/factures/{invoice.pk}/envoyer/", {"method": "cheque"}).status_code == 404


def test_write_pays_it(client, local, invoice):
    writer = contact_client(client, local, "write")
    page = writer.get(f"/factures/{invoice.pk}/").content.decode()
    assert "Payer cette facture" in page


def test_without_the_subject_the_invoice_is_404(client, local, invoice):
    account, person = contact_with_account()
    relate(person, local, RelationType.STAFF, {"profil": "write"})
    act_as(client, account, local)
    assert client.get(f"/factures/{invoice.pk}/").status_code == 404
    assert client.get("/organisation/etat-de-compte/").status_code == 404

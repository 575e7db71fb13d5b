"""Billing is a ledger beneath every domain: a kind of source billing has never heard of
(here a stand-in for memberships, Django's own ``Group``) is invoiced, named on its
invoice page, told when its invoice is paid or overdue, and credited — through billing's
public services, signals and registry only (docs/ledger.md)."""

from __future__ import annotations

import ast
import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from guichet.billing import sources
from guichet.billing.models import Invoice
from guichet.billing.services.invoicing import DraftLine, Payer, credit_invoice, issue_invoice
from guichet.billing.services.ledger import record_payment
from guichet.billing.services.overdue import announce_overdue
from guichet.billing.signals import invoice_overdue, invoice_settled
from tests.billing.cast import holder
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

D = Decimal
BILLING = Path(__file__).resolve().parents[2] / "guichet" / "billing"
DOMAINS = ("guichet.registrations", "guichet.catalog", "guichet.requests", "guichet.memberships")


class Memberships:
    """A domain in miniature: it registers its source kind and listens to billing."""

    def __init__(self) -> None:
        self.settled: list[Group] = []
        self.overdue: list[Group] = []

    def on_settled(self, sender, *, invoice, actor=None, **kwargs):
        if sources.is_for(invoice, Group):
            self.settled.append(invoice.source)

    def on_overdue(self, sender, *, invoice, now, **kwargs):
        if sources.is_for(invoice, Group):
            self.overdue.append(invoice.source)
            credit_invoice(invoice, actor=None, reason="Adhésion non payée")


@pytest.fixture
def memberships():
    domain = Memberships()
    sources.register(
        Group,
        describe=lambda group: f"Adhésion : {group.name}",
        url=lambda group, account: f"/adhesions/{group.pk}/",
        others_heading="Autres factures de cette adhésion",
    )
    invoice_settled.connect(domain.on_settled, weak=False, dispatch_uid="test-memberships")
    invoice_overdue.connect(domain.on_overdue, weak=False, dispatch_uid="test-memberships")
    yield domain
    invoice_settled.disconnect(dispatch_uid="test-memberships")
    invoice_overdue.disconnect(dispatch_uid="test-memberships")
    sources.unregister(Group)


def fee(membership: Group, account, dossier, *, due_at=None) -> Invoice:
    return issue_invoice(
        payer=Payer(dossier, account),
        lines=[DraftLine("Cotisation annuelle", D("50.00"), tax_exempt=True)],
        actor=account,
        source=membership,
        participant=dossier,
        description="Cotisation 2027",
        due_at=due_at,
    )


def test_a_new_kind_of_source_is_invoiced_and_told_once_its_invoice_is_paid(memberships):
    membership = Group.objects.create(name="Membre 2027")
    account, dossier = holder()
    invoice = fee(membership, account, dossier)
    assert list(Invoice.objects.for_source(membership)) == [invoice]
    assert invoice.source == membership

    record_payment(invoice, amount=D("20.00"), method="cheque")
    assert memberships.settled == []
    record_payment(invoice, amount=D("30.00"), method="cheque")
    assert memberships.settled == [membership]


def test_the_invoice_page_names_the_source_and_links_to_it(client, memberships):
    membership = Group.objects.create(name="Membre 2027")
    account, dossier = holder()
    invoice = fee(membership, account, dossier)
    client.force_login(account)
    response = client.get(reverse("billing:invoice", args=[invoice.pk]))
    assert f'<a href="/adhesions/{membership.pk}/">Adhésion : Membre 2027</a>' in (
        response.content.decode()
    )
    assert "Adhésion : Membre 2027" in text_of(response)


def test_an_overdue_invoice_is_announced_until_its_source_settles_it(memberships):
    membership = Group.objects.create(name="Membre 2027")
    account, dossier = holder()
    later = timezone.now() + datetime.timedelta(days=1)
    invoice = fee(membership, account, dossier, due_at=later - datetime.timedelta(hours=1))
    assert announce_overdue(later - datetime.timedelta(hours=2)) == []

    assert announce_overdue(later) == [invoice]
    assert memberships.overdue == [membership]
    invoice.refresh_from_db()
    assert invoice.status == "credited"
    assert announce_overdue(later) == []  # settled by its source: never announced again


def test_a_failing_receiver_rolls_the_payment_back(memberships):
    membership = Group.objects.create(name="Membre 2027")
    account, dossier = holder()
    invoice = fee(membership, account, dossier)

    def broken(sender, **kwargs):
        raise RuntimeError("the domain could not record it")

    invoice_settled.connect(broken, weak=False, dispatch_uid="test-broken")
    try:
        with pytest.raises(RuntimeError):
            record_payment(invoice, amount=invoice.total, method="cheque")
    finally:
        invoice_settled.disconnect(dispatch_uid="test-broken")
    invoice.refresh_from_db()
    assert invoice.amount_paid == D("0.00") and not invoice.payments.exists()


def test_an_invoice_without_a_source_is_just_an_invoice(client):
    account, dossier = holder()
    invoice = issue_invoice(
        payer=Payer(dossier, account),
        lines=[DraftLine("Reprise de l'ancien système", D("10.00"))],
        actor=account,
    )
    assert invoice.source is None and sources.describe(invoice) is None
    client.force_login(account)
    assert client.get(reverse("billing:invoice", args=[invoice.pk])).status_code == 200


def test_billing_imports_no_domain():
    """The arrows run one way: no module of billing names a domain above it."""
    offenders = []
    for path in BILLING.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            offenders += [
                f"{path.relative_to(BILLING)}: {name}" for name in names if name.startswith(DOMAINS)
            ]
    assert offenders == []

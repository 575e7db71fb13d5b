"""The staff journal shows each event's details as a person reads them: labels, not field
names; choices by their labels; money and dates formatted; the objects named by their
number, linked where staff may open them — in French and in English."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from guichet.accounts.models import StaffRole
from guichet.audit.models import Action, AuditEvent, Right
from guichet.billing.services.ledger import record_payment
from tests.billing.cast import holder, invoiced
from tests.dossiers.factories import DossierFactory
from tests.factories import AccountFactory
from tests.registrations.test_mine_amounts import words
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

JOURNAL = reverse("audit:journal")
RAW = ("{'", "before", "after :", "home_street", "main_address", "invoice :", "method :")


@pytest.fixture
def staff_client(client, staff):
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={})
    client.force_login(staff)
    AuditEvent.objects.all().delete()
    return client


def record(action: Action, data: dict, **fields) -> AuditEvent:
    return AuditEvent.objects.create(
        action=action, right=fields.pop("right", Right.SELF), data=data, **fields
    )


def assert_nothing_raw(page: str) -> None:
    for raw in RAW:
        assert raw not in page, raw


def test_a_change_of_address_reads_with_field_names_and_choice_labels(staff_client, account):
    record(
        Action.PROFILE_CHANGED,
        {
            "section": "information",
            "before": {
                "home_street": "12, rue des Érables",
                "home_city": "Québec",
                "main_address": "home",
            },
            "after": {
                "home_street": "14, rue des Pins",
                "home_city": "Lévis",
                "main_address": "work",
            },
        },
        actor=account,
        subject=account,
        dossier=DossierFactory(),
    )

    page = words(staff_client.get(JOURNAL))

    assert "Section Mes informations" in page
    assert "Adresse (adresse personnelle) 12, rue des Érables → devient 14, rue des Pins" in page
    assert "Ville (adresse personnelle) Québec → devient Lévis" in page
    assert "Adresse principale Adresse personnelle → devient Adresse au travail" in page
    assert_nothing_raw(page)


def test_a_payment_reads_its_invoice_amount_and_method(staff_client):
    account, dossier = holder()
    _registration, invoice = invoiced(account, dossier, non_member_price=Decimal("100.00"))
    AuditEvent.objects.all().delete()
    record_payment(invoice, amount=invoice.total, method="interac")

    response = staff_client.get(JOURNAL)
    page = words(response)

    assert f"Facture {invoice.number}" in page
    assert "Montant 114,98 $" in page
    assert "Mode de paiement Virement Interac" in page
    assert_nothing_raw(page)
    staff_page = reverse("billing:staff_invoice_payments", args=[invoice.pk])
    assert f'<a href="{staff_page}">{invoice.number}</a>' in text_of(response)


def test_the_journal_reads_in_english(staff_client):
    account, dossier = holder()
    _registration, invoice = invoiced(account, dossier, non_member_price=Decimal("100.00"))
    AuditEvent.objects.all().delete()
    record_payment(invoice, amount=invoice.total, method="interac")
    record(
        Action.PROFILE_CHANGED,
        {"before": {"main_address": "home"}, "after": {"main_address": "work"}},
    )
    staff_client.post(reverse("set_language"), {"language": "en", "next": "/"})

    page = words(staff_client.get(JOURNAL))

    assert f"Invoice {invoice.number}" in page
    assert "Amount $114.98" in page
    assert "Payment method Interac e-Transfer" in page
    assert "Main address Home address → becomes Work address" in page
    assert_nothing_raw(page)


def test_linking_attempts_read_their_method_and_outcome(staff_client):
    record(Action.LINK_FAILED, {"method": "number_birth_date", "reason": "refused"})
    page = words(staff_client.get(JOURNAL))
    assert "Lié par Numéro de dossier et date de naissance" in page
    assert "Résultat Refusé : aucune correspondance, ou le dossier ne peut recevoir ce lien" in page
    assert "number_birth_date" not in page and "refused" not in page


def test_dates_and_moments_read_in_montreal_time(staff_client):
    until = datetime.datetime(2026, 6, 10, 18, 30, tzinfo=datetime.UTC)  # 14:30 in Montreal
    record(Action.LOCKED, {"until": until.isoformat()})
    record(Action.DELEGATION_GRANTED, {"starts_on": "2026-06-01", "ends_on": None})
    page = words(staff_client.get(JOURNAL))
    assert "Jusqu'au 2026-06-10 14:30" in page
    assert "Du 2026-06-01" in page and "Au —" in page


def test_a_file_links_to_the_admin_only_for_staff_who_may_view_it(client, staff_client):
    child = DossierFactory(first_name="Léa", last_name="Tremblay", number="104524")
    record(
        Action.CHILDCARE_SPLIT, {"child": child.pk, "year": 2026, "percent": "50.00"}, dossier=child
    )
    admin_page = reverse("admin:dossiers_dossier_change", args=[child.pk])

    page = text_of(staff_client.get(JOURNAL))
    assert f'<a href="{admin_page}">Léa Tremblay (104524)</a>' in page
    assert "Partage 50.00 %" in words(staff_client.get(JOURNAL))

    agent = AccountFactory(is_staff=True)  # staff, but no right in the admin
    StaffRole.objects.create(account=agent, role="privacy")
    Authenticator.objects.create(user=agent, type=Authenticator.Type.TOTP, data={})
    client.force_login(agent)
    page = text_of(client.get(JOURNAL))
    assert "Léa Tremblay (104524)" in page and admin_page not in page


def test_an_unknown_key_still_reads_plainly(staff_client):
    record(Action.REQUEST_SUBMITTED, {"new_thing": True, "when_done": "2026-06-01"})
    page = words(staff_client.get(JOURNAL))
    assert "New thing Oui" in page and "When done 2026-06-01" in page


def test_reading_the_objects_named_costs_the_same_for_many_rows(
    staff_client, django_assert_max_num_queries
):
    account, dossier = holder()

    def pay(count: int) -> None:
        for _ in range(count):
            _registration, invoice = invoiced(account, dossier, non_member_price=Decimal("10.00"))
            record_payment(invoice, amount=invoice.total, method="cheque")

    pay(1)
    with django_assert_max_num_queries(30) as few:
        staff_client.get(JOURNAL)
    pay(5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = words(staff_client.get(JOURNAL))
    assert page.count("Mode de paiement Chèque") == 6

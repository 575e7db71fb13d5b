"""An application reviewed by staff, the fee invoiced through the ledger, the membership
started when paid, cancelled when the fee stays unpaid."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from guichet.audit.models import Action, AuditEvent
from guichet.billing.models import Invoice
from guichet.billing.services.ledger import record_payment
from guichet.billing.services.overdue import announce_overdue
from guichet.memberships import signals
from guichet.memberships.models import ApplicationStatus, Membership, MembershipStatus
from guichet.memberships.services import applications, queries
from tests.billing.cast import holder
from tests.factories import AccountFactory
from tests.memberships.cast import applied, member_types, stashed

pytestmark = pytest.mark.django_db(transaction=True)
MONTREAL = ZoneInfo("America/Montreal")


@pytest.fixture
def staff_agent():
    return AccountFactory(is_staff=True)


def test_approval_invoices_the_fee_and_payment_starts_the_membership(staff_agent):
    regular = member_types()["membre-regulier"]
    account, dossier = holder()
    started = []
    signals.membership_started.connect(
        lambda sender, membership, **kw: started.append(membership.pk), weak=False
    )
    with time_machine.travel(datetime(2027, 3, 10, 10, tzinfo=MONTREAL)):
        application = applied(account, dossier, regular)
        assert queries.standing(dossier).may_apply is False
        applications.approve(application, actor=staff_agent)
        application.refresh_from_db()
        assert application.status == ApplicationStatus.APPROVED
        membership = application.membership
        assert membership.status == MembershipStatus.PENDING_PAYMENT
        invoice = Invoice.objects.for_source(membership).get()
        assert invoice.total == Decimal("395.00")  # tax exempt
        assert invoice.payer_account == account
        assert not queries.is_member(dossier, date(2027, 3, 10))

    with time_machine.travel(datetime(2027, 3, 20, 10, tzinfo=MONTREAL)):
        record_payment(invoice, amount=invoice.total, method="cheque", actor=staff_agent)
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE
    assert (membership.starts_on, membership.ends_on) == (date(2027, 3, 20), date(2027, 12, 31))
    assert queries.is_member(dossier, date(2027, 6, 1))
    assert queries.current_membership(dossier, date(2027, 6, 1)) == membership
    assert started == [membership.pk]
    dossier.refresh_from_db()
    assert dossier.member_until == date(2027, 12, 31)  # member prices in the catalog
    actions = set(AuditEvent.objects.filter(dossier=dossier).values_list("action", flat=True))
    assert {
        Action.MEMBERSHIP_APPLIED,
        Action.MEMBERSHIP_APPROVED,
        Action.MEMBERSHIP_STARTED,
    } <= actions


def test_unpaid_fee_cancels_the_membership_and_credits_the_invoice(staff_agent):
    student = member_types()["membre-etudiant"]
    account, dossier = holder()
    with time_machine.travel(datetime(2027, 1, 5, 10, tzinfo=MONTREAL)):
        application = applied(account, dossier, student)
        applications.approve(application, actor=staff_agent)
    membership = Membership.objects.get(dossier=dossier)
    with time_machine.travel(datetime(2027, 3, 1, 10, tzinfo=MONTREAL)):
        announce_overdue()
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.CANCELLED
    invoice = Invoice.objects.for_source(membership).get()
    assert invoice.balance == 0
    assert queries.standing(dossier).may_apply  # may apply again


def test_staff_ask_for_more_then_the_person_adds_documents(staff_agent, mailbox):
    retired = member_types()["membre-retraite"]
    account, dossier = holder()
    application = applied(account, dossier, retired)
    applications.ask_for_more(application, "Votre attestation de retraite.", actor=staff_agent)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.MORE_REQUESTED
    message = mailbox.wait_for(account.email, "documents à ajouter")
    assert "Votre attestation de retraite." in mailbox.body(message)
    applications.add_documents(application, [stashed(name="retraite.pdf")], actor=account)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.documents.count() == 2


def test_refusal_keeps_the_reason_and_a_decided_application_is_not_decided_twice(staff_agent):
    regular = member_types()["membre-regulier"]
    account, dossier = holder()
    application = applied(account, dossier, regular)
    applications.refuse(application, "Aucune fonction municipale.", actor=staff_agent)
    with pytest.raises(applications.NotOpen):
        applications.approve(application, actor=staff_agent)
    application.refresh_from_db()
    assert application.message == "Aucune fonction municipale."
    assert not Membership.objects.filter(dossier=dossier).exists()


def test_a_second_open_application_is_refused(staff_agent):
    retired = member_types()["membre-retraite"]
    account, dossier = holder()
    applied(account, dossier, retired)
    with pytest.raises(applications.AlreadyApplied):
        applied(account, dossier, retired)


def test_required_documents_are_checked_by_the_service():
    regular = member_types()["membre-regulier"]
    account, dossier = holder()
    with pytest.raises(ValidationError):
        applications.submit_application(dossier, regular, [stashed()], actor=account)


def test_every_decision_is_audited_with_who_decided_and_under_which_right(staff_agent):
    retired = member_types()["membre-retraite"]
    account, dossier = holder()
    application = applied(account, dossier, retired)
    applications.ask_for_more(application, "Votre attestation.", actor=staff_agent)
    applications.add_documents(application, [stashed(name="attestation.pdf")], actor=account)
    applications.refuse(application, "Non admissible.", actor=staff_agent)
    trail = list(
        AuditEvent.objects.filter(dossier=dossier, action__startswith="membership.")
        .order_by("pk")
        .values_list("action", "actor", "right")
    )
    assert trail == [
        (Action.MEMBERSHIP_APPLIED, account.pk, "self"),
        (Action.MEMBERSHIP_MORE_ASKED, staff_agent.pk, "staff"),
        (Action.MEMBERSHIP_DOCUMENTS_ADDED, account.pk, "self"),
        (Action.MEMBERSHIP_REFUSED, staff_agent.pk, "staff"),
    ]

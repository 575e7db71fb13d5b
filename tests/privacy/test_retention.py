"""The retention job: accounts nobody signed in to for N years are closed and anonymized,
unless an app says they must wait (money still owed, a live registration); it reports."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from guichet.audit.models import Action, AuditEvent, Right
from guichet.memberships.models import Application, Membership, MembershipStatus
from guichet.privacy.models import ClosureRequest, ClosureStatus
from guichet.privacy.services.retention import apply_retention
from guichet.privacy.tasks import apply_retention as retention_task
from tests.billing.cast import holder, invoiced, plain_invoice
from tests.memberships.cast import member_types

pytestmark = pytest.mark.django_db


def aged(account, years: int):
    account.last_login = timezone.now() - timezone.timedelta(days=365 * years + 3)
    account.save(update_fields=["last_login"])
    return account


def test_old_accounts_are_closed_recent_and_owing_ones_wait(password, staff):
    quiet, quiet_file = holder(password=password)
    aged(quiet, 8)
    recent, _ = holder(password=password)
    aged(recent, 2)
    owing, owing_file = holder(password=password)
    plain_invoice(owing, owing_file, "30.00")
    aged(owing, 8)
    registered, registered_file = holder(password=password)
    _registration, invoice = invoiced(registered, registered_file, non_member_price=Decimal("0.00"))
    aged(registered, 8)

    dry = apply_retention(7, dry_run=True)
    assert dry.closed == [quiet.pk]
    assert not ClosureRequest.objects.exists()

    report = apply_retention(7)
    assert report.closed == [quiet.pk]
    assert report.waiting == {owing.pk: ["open_invoices"], registered.pk: ["live_registrations"]}
    quiet.refresh_from_db()
    assert not quiet.is_active and quiet.email.endswith("@anonyme.invalid")
    closure = ClosureRequest.objects.get(account=quiet)
    assert closure.status == ClosureStatus.APPLIED and closure.decided_by is None
    event = AuditEvent.objects.get(action=Action.ACCOUNT_ANONYMIZED)
    assert event.right == Right.SYSTEM and event.actor is None
    for other in (recent, owing, registered, staff):
        other.refresh_from_db()
        assert other.is_active


def test_members_and_applicants_wait(password):
    regular = member_types()["membre-regulier"]
    today = timezone.localdate()
    member, member_file = holder(password=password)
    Membership.objects.create(
        dossier=member_file,
        member_type=regular,
        status=MembershipStatus.ACTIVE,
        starts_on=today - timezone.timedelta(days=30),
        ends_on=today + timezone.timedelta(days=300),
        grace_ends_on=today + timezone.timedelta(days=330),
        fee=regular.fee,
    )
    applicant, applicant_file = holder(password=password)
    Application.objects.create(dossier=applicant_file, applicant=applicant, member_type=regular)
    lapsed, lapsed_file = holder(password=password)
    Membership.objects.create(
        dossier=lapsed_file,
        member_type=regular,
        status=MembershipStatus.LAPSED,
        starts_on=today - timezone.timedelta(days=900),
        ends_on=today - timezone.timedelta(days=600),
        grace_ends_on=today - timezone.timedelta(days=570),
        fee=regular.fee,
    )
    for account in (member, applicant, lapsed):
        aged(account, 8)

    report = apply_retention(7)

    assert report.closed == [lapsed.pk]
    assert report.waiting == {
        member.pk: ["membership_in_force"],
        applicant.pk: ["open_membership_application"],
    }


def test_the_command_reports_and_the_task_does_nothing_without_a_rule(password, settings, capsys):
    quiet, _ = holder(password=password)
    aged(quiet, 10)
    settings.GUICHET_RETENTION_INACTIVE_YEARS = None
    assert retention_task() == []
    quiet.refresh_from_db()
    assert quiet.is_active
    call_command("apply_retention", "--inactive-years", "7", "--dry-run")
    assert "[dry run] closed and anonymized: 1" in capsys.readouterr().out
    settings.GUICHET_RETENTION_INACTIVE_YEARS = 7
    assert retention_task() == ["closed and anonymized: 1"]
    quiet.refresh_from_db()
    assert not quiet.is_active

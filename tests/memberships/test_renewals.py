"""Renewal: reminders at 60, 30 and 7 days, each sent once — even when two sweeps run at
the same moment — in the person's language; renewal in one click; grace, then lapse."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import date, datetime, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from guichet.billing.models import Invoice
from guichet.billing.services.ledger import record_payment
from guichet.memberships import signals
from guichet.memberships.models import Membership, MembershipStatus, RenewalReminder
from guichet.memberships.services import lifecycle, queries, renewals
from tests.billing.cast import holder
from tests.memberships.cast import member_types

pytestmark = pytest.mark.django_db(transaction=True)
MONTREAL = ZoneInfo("America/Montreal")


def active_membership(dossier, ends_on: date) -> Membership:
    regular = member_types()["membre-regulier"]
    return Membership.objects.create(
        dossier=dossier,
        member_type=regular,
        status=MembershipStatus.ACTIVE,
        starts_on=ends_on - timedelta(days=364),
        ends_on=ends_on,
        grace_ends_on=ends_on + timedelta(days=regular.grace_days),
        fee=regular.fee,
    )


def at(day: date):
    return time_machine.travel(datetime(day.year, day.month, day.day, 9, tzinfo=MONTREAL))


def test_each_reminder_is_sent_once_as_the_end_approaches(mailbox):
    account, dossier = holder(email="rappel@exemple.ca")
    membership = active_membership(dossier, date(2027, 12, 31))
    sent = []
    for day in (
        date(2027, 10, 1),  # 91 days: nothing yet
        date(2027, 11, 1),  # 60
        date(2027, 11, 2),
        date(2027, 12, 1),  # 30
        date(2027, 12, 24),  # 7
        date(2027, 12, 25),
    ):
        with at(day):
            sent += renewals.sweep(day).reminded
    assert sent == [(membership.pk, 60), (membership.pk, 30), (membership.pk, 7)]
    subjects = [m["Subject"].strip() for m in mailbox.to("rappel@exemple.ca")]
    assert subjects == [
        "COMAQ — Votre adhésion prend fin dans 60 jours",
        "COMAQ — Votre adhésion prend fin dans 30 jours",
        "COMAQ — Votre adhésion prend fin dans 7 jours",
    ]


def test_a_membership_first_seen_late_gets_only_the_nearest_reminder(mailbox):
    _account, dossier = holder(email="tard@exemple.ca", language="en")
    active_membership(dossier, date(2027, 12, 31))
    with at(date(2027, 12, 27)):
        renewals.sweep(date(2027, 12, 27))
    assert list(RenewalReminder.objects.values_list("days_before", flat=True)) == [7]
    (message,) = mailbox.to("tard@exemple.ca")
    assert (
        message["Subject"].strip() == "COMAQ — Your membership ends in 4 days"
    )  # the person's language


def test_two_sweeps_at_the_same_moment_send_each_reminder_once(mailbox):
    people = [holder(email=f"concurrent{n}@exemple.ca") for n in range(5)]
    for _account, dossier in people:
        active_membership(dossier, date(2027, 12, 31))
    day = date(2027, 12, 24)
    start = threading.Barrier(2)
    results: list[renewals.Swept] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            results.append(renewals.sweep(day))  # the day is given: no clock to share
        except BaseException as error:  # noqa: BLE001  (reported below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sum(len(result.reminded) for result in results) == 5
    assert RenewalReminder.objects.count() == 5
    for account, _dossier in people:
        mailbox.wait_for(account.email, "prend fin")
        assert len(mailbox.to(account.email)) == 1


def test_renewal_in_one_click_continues_the_membership_once_paid():
    account, dossier = holder()
    membership = active_membership(dossier, date(2027, 12, 31))
    with at(date(2027, 12, 20)):
        state = queries.standing(dossier)
        assert state.renewable
        invoice = lifecycle.renew(membership, actor=account)
        with pytest.raises(lifecycle.NotRenewable):
            lifecycle.renew(membership, actor=account)
        assert not queries.standing(dossier).renewable
        record_payment(invoice, amount=invoice.total, method="card", actor=account)
    renewal = Membership.objects.get(renews=membership)
    assert renewal.status == MembershipStatus.ACTIVE
    assert (renewal.starts_on, renewal.ends_on) == (date(2028, 1, 1), date(2028, 12, 31))
    assert Invoice.objects.for_source(renewal).get() == invoice
    with at(date(2028, 2, 15)):
        renewals.sweep(date(2028, 2, 15))  # the first one lapses, the renewal goes on
    assert queries.current_membership(dossier, date(2028, 2, 15)) == renewal
    dossier.refresh_from_db()
    assert dossier.member_until == date(2028, 12, 31)


def test_grace_then_lapse_announces_the_end(mailbox):
    account, dossier = holder(email="grace@exemple.ca")
    membership = active_membership(dossier, date(2027, 12, 31))
    ended = []
    signals.membership_ended.connect(
        lambda sender, membership, reason, **kw: ended.append((membership.pk, reason)),
        weak=False,
        dispatch_uid="test_grace_then_lapse",
    )
    try:
        assert queries.is_member(dossier, date(2028, 1, 15))  # in grace
        assert queries.standing(dossier, date(2028, 1, 15)).in_grace
        with at(date(2028, 1, 30)):
            assert renewals.sweep(date(2028, 1, 30)).lapsed == []
        with at(date(2028, 1, 31)):
            assert renewals.sweep(date(2028, 1, 31)).lapsed == [membership.pk]
    finally:
        signals.membership_ended.disconnect(dispatch_uid="test_grace_then_lapse")
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.LAPSED
    assert not queries.is_member(dossier, date(2028, 1, 31))
    assert ended == [(membership.pk, "lapsed")]
    mailbox.wait_for("grace@exemple.ca", "Votre adhésion a pris fin")
    dossier.refresh_from_db()
    assert dossier.member_until is None


def test_two_sweep_commands_in_separate_processes_send_each_reminder_once(tmp_path):
    """The embedded mode's command beside a Celery beat: two processes, one database."""
    people = [holder(email=f"processus{n}@exemple.ca") for n in range(20)]
    today = timezone.localdate()
    for _account, dossier in people:
        active_membership(dossier, today + timedelta(days=5))
    database = connection.settings_dict
    host = quote(database["HOST"] or "", safe="")  # a socket folder too (make test's cluster)
    url = f"postgresql://{database['USER']}@{host}:{database['PORT']}/{database['NAME']}"
    mail = tmp_path / "mail"
    env = {
        **os.environ,
        "GUICHET_DATABASE_URL": url,
        "GUICHET_PRESET": "comaq",
        "GUICHET_EMAIL_URL": f"file://{mail}",
        "GUICHET_REDIS_URL": "",
    }
    command = [sys.executable, "manage.py", "sweep_memberships"]
    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE) for _ in range(2)]  # noqa: S603
    outputs = [run.communicate(timeout=120)[0].decode() for run in runs]
    assert all(run.returncode == 0 for run in runs), outputs
    assert RenewalReminder.objects.count() == 20
    assert sorted(RenewalReminder.objects.values_list("days_before", flat=True)) == [7] * 20
    assert len(list(mail.glob("*.eml"))) == 20, outputs

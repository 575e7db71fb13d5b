"""A membership that starts gets its attestation (through credentials' interface to
memberships, ``credentials.membership``), and may complete the title."""

from __future__ import annotations

import datetime

import pytest

from guichet.credentials import membership
from guichet.credentials.models import Attestation, AttestationKind, TitleAward
from tests.credentials.cast import (
    attended,
    end_membership,
    make_member,
    member_of,
    past_training,
)
from tests.registrations.factories_mine import days_from_today

pytestmark = pytest.mark.django_db


def test_membership_started_issues_one_membership_attestation(comaq, account):
    dossier = member_of(account)
    starts, ends = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)

    for _ in range(2):
        membership.membership_started.send(
            sender=None, dossier=dossier, starts_on=starts, ends_on=ends, member_type="régulier"
        )

    attestation = Attestation.objects.get(kind=AttestationKind.MEMBERSHIP)
    assert attestation.dossier == dossier
    assert (attestation.attested_on, attestation.valid_until) == (starts, ends)
    assert attestation.subject == "Membre (régulier)"
    assert attestation.subject_en == "Member (régulier)"


def test_a_membership_object_is_read_too(comaq, account):
    dossier = member_of(account)

    class Started:  # the shape memberships' own signal is expected to send
        def __init__(self) -> None:
            self.dossier = dossier
            self.starts_on = days_from_today(0)
            self.ends_on = days_from_today(364)
            self.member_type = "Membre retraité"

    membership.membership_started.send(sender=None, membership=Started())

    assert Attestation.objects.get(kind=AttestationKind.MEMBERSHIP).subject == (
        "Membre (Membre retraité)"
    )


def test_becoming_a_member_awards_a_title_whose_trainings_are_done(comaq, account, staff):
    dossier = member_of(account)
    end_membership(dossier, ended=None)
    for code in ("OMA-101", "OMA-102", "OMA-103"):
        attended(dossier, past_training(code, hours="15"), by=staff)
    assert not TitleAward.objects.exists()

    make_member(dossier)
    membership.membership_started.send(sender=None, dossier=dossier)

    assert TitleAward.objects.filter(dossier=dossier).exists()
    assert Attestation.objects.filter(dossier=dossier, kind=AttestationKind.TITLE).exists()


def test_the_member_gets_the_attestation_by_email_once_with_its_link(
    comaq, account, client, mailbox, django_capture_on_commit_callbacks
):
    dossier = member_of(account)
    starts, ends = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)

    for _ in range(2):  # the same start told twice: one attestation, one email
        with django_capture_on_commit_callbacks(execute=True):
            membership.membership_started.send(
                sender=None, dossier=dossier, starts_on=starts, ends_on=ends, member_type="régulier"
            )

    attestation = Attestation.objects.get(kind=AttestationKind.MEMBERSHIP)
    message = mailbox.wait_for(account.email, "Bienvenue")
    body = mailbox.body(message)
    assert "Membre (régulier)" in body
    assert attestation.display_code in body
    see, verify = mailbox.links(message)
    assert verify.endswith(f"/verifier/{attestation.code}/")
    assert len(mailbox.to(account.email)) == 1
    # « Voir »: the link opens the PDF for the member.
    path = "/" + see.split("/", 3)[3]
    client.force_login(account)
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_the_attestation_email_is_in_the_members_language(
    comaq, account, mailbox, django_capture_on_commit_callbacks
):
    account.language = "en"
    account.save(update_fields=["language"])
    dossier = member_of(account)

    with django_capture_on_commit_callbacks(execute=True):
        membership.membership_started.send(
            sender=None, dossier=dossier, starts_on=datetime.date(2026, 1, 1), member_type="retired"
        )

    message = mailbox.wait_for(account.email, "Welcome")
    assert "Member (retired)" in mailbox.body(message)

"""One way to write a date for people, in French and in English, in pages, emails and
PDFs: « 14 septembre 2015 », « 1er mars 2016 », « 14 h 30 »; « September 14, 2015 »."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from guichet.billing.services.payments import choose_offline
from guichet.core.dates import format_date, format_moment, format_time
from guichet.dossiers.services.delegation import grant_delegation
from guichet.dossiers.services.linking import issue_linking_code
from tests.billing.cast import holder, invoiced
from tests.billing.test_document_pdfs import pdf_text
from tests.dossiers.factories import DossierFactory
from tests.factories import AccountFactory
from tests.support.pages import text_of

MONTREAL = ZoneInfo("America/Montreal")
TEMPLATES = Path(__file__).resolve().parents[2] / "guichet"


@pytest.mark.parametrize(
    ("language", "day", "expected"),
    [
        ("fr", datetime.date(2015, 9, 14), "14 septembre 2015"),
        ("fr", datetime.date(2016, 3, 1), "1er mars 2016"),
        ("en", datetime.date(2015, 9, 14), "September 14, 2015"),
        ("en", datetime.date(2016, 3, 1), "March 1, 2016"),
    ],
)
def test_a_date_reads_the_same_way_everywhere(language, day, expected):
    with translation.override(language):
        assert format_date(day) == expected


def test_a_moment_is_written_in_montreal_time_across_a_daylight_saving_change():
    # 2026-11-01 at 23:30 UTC is 18 h 30 in Montreal (EST, the day clocks went back).
    moment = datetime.datetime(2026, 11, 1, 23, 30, tzinfo=datetime.UTC)
    with translation.override("fr"):
        assert format_moment(moment) == "1er novembre 2026 à 18 h 30"
        assert format_time(datetime.datetime(2026, 10, 31, 23, 0, tzinfo=datetime.UTC)) == "19 h"
    with translation.override("en"):
        assert format_moment(moment) == "November 1, 2026 at 18:30"


def test_no_template_writes_a_date_its_own_way():
    own_ways = []
    for path in TEMPLATES.rglob("templates/**/*"):
        if path.suffix not in {".html", ".txt"}:
            continue
        for found in re.findall(r"\|(?:date|time)(?::\s*[\"'][^\"']*[\"'])?", path.read_text()):
            if found not in {"|date:'c'", '|date:"c"'}:  # machine-read values only
                own_ways.append(f"{path.relative_to(TEMPLATES)}: {found}")
    assert own_ways == []


# Emails, in the recipient's language -------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "subject", "expected"),
    [
        ("fr", "code de liaison", "jusqu'au 15 septembre 2026 à 14 h 30"),
        ("en", "linking code", "until September 15, 2026 at 14:30"),
    ],
)
def test_the_linking_code_email_gives_its_expiry_in_the_readers_language(
    staff, mailbox, django_capture_on_commit_callbacks, language, subject, expected
):
    dossier = DossierFactory(email="gabriel@exemple.ca", language=language)
    with (
        time_machine.travel(datetime.datetime(2026, 9, 14, 14, 30, tzinfo=MONTREAL), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        issue_linking_code(actor=staff, dossier=dossier)
    body = mailbox.body(mailbox.wait_for("gabriel@exemple.ca", subject))
    assert expected in " ".join(body.split())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "subject", "expected"),
    [
        ("fr", "agir pour d'autres", "du 1er avril 2026 au 30 avril 2026"),
        ("en", "act for others", "from April 1, 2026 to April 30, 2026"),
    ],
)
def test_the_delegation_email_gives_its_dates_in_the_readers_language(
    staff, mailbox, django_capture_on_commit_callbacks, language, subject, expected
):
    delegate = AccountFactory(email="maxime@umq.exemple.ca", language=language)
    with django_capture_on_commit_callbacks(execute=True):
        grant_delegation(
            delegate,
            starts_on=datetime.date(2026, 4, 1),
            ends_on=datetime.date(2026, 4, 30),
            actor=staff,
        )
    body = mailbox.body(mailbox.wait_for("maxime@umq.exemple.ca", subject))
    assert expected in " ".join(body.split())


# Pages, in the visitor's language ----------------------------------------------------------
@pytest.fixture
def cheque_invoice(db):
    account, dossier = holder()
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, 0, tzinfo=MONTREAL), tick=False):
        _, invoice = invoiced(account, dossier, non_member_price=Decimal("100.00"))
        choose_offline(invoice, "cheque", actor=account)
    return account, invoice


@pytest.mark.parametrize(
    ("language", "issued"),
    [("fr", "1er mars 2026"), ("en", "March 1, 2026")],
)
def test_the_invoice_and_the_statement_write_their_dates_the_same_way(
    client, cheque_invoice, language, issued
):
    account, invoice = cheque_invoice
    # A signed-in person reads pages in their account's language.
    account.language = language
    account.save(update_fields=["language"])
    client.force_login(account)
    invoice_page = text_of(client.get(reverse("billing:invoice", args=[invoice.pk])))
    assert issued in invoice_page
    statement = text_of(
        client.get(reverse("billing:statement"), {"start": "2026-01-01", "end": "2026-12-31"})
    )
    assert issued in statement
    assert "2026-03-01" not in statement.split("<main", 1)[1].replace('value="2026-0', "")


@pytest.mark.parametrize(
    ("language", "issued"),
    [("fr", "1er mars 2026"), ("en", "March 1, 2026")],
)
@pytest.mark.django_db
def test_the_invoice_pdf_writes_its_date_in_its_language(client, language, issued):
    account, dossier = holder(language=language)
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, 0, tzinfo=MONTREAL), tick=False):
        _, invoice = invoiced(account, dossier, non_member_price=Decimal("100.00"))
    client.force_login(account)
    response = client.get(reverse("billing:invoice_pdf", args=[invoice.pk]))
    content = b"".join(response) if response.streaming else response.content
    assert issued in pdf_text(content)

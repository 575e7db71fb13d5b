"""Documents kept per the operator's retention rule: the sweep deletes, from the storage,
the documents of applications decided longer ago than the preset's delay, and only them;
the trail counts them without naming them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from guichet import presets
from guichet.audit.models import Action, AuditEvent
from guichet.memberships.models import ApplicationDocument
from guichet.memberships.services import applications
from guichet.memberships.tasks import sweep_memberships
from tests.billing.cast import holder
from tests.factories import AccountFactory
from tests.memberships.cast import applied, member_types

pytestmark = pytest.mark.django_db
MONTREAL = ZoneInfo("America/Montreal")
TODAY = date(2027, 6, 1)


def on(day: date):
    return time_machine.travel(datetime(day.year, day.month, day.day, 10, tzinfo=MONTREAL))


@pytest.fixture
def three_applications():
    """Refused 400 days before today, refused 10 days before, and still open."""
    staff = AccountFactory(is_staff=True)
    regular = member_types()["membre-regulier"]
    made = []
    for decided in (date(2026, 4, 27), date(2027, 5, 22), None):
        account, dossier = holder()
        with on(decided or TODAY):
            application = applied(account, dossier, regular)
            if decided:
                applications.refuse(application, "Hors du territoire", actor=staff)
        made.append(application)
    return made


def stored(application) -> list[tuple]:
    return [(d.file.storage, d.file.name) for d in application.documents.all()]


def test_the_sweep_deletes_the_documents_kept_past_the_delay(
    three_applications, django_capture_on_commit_callbacks
):
    old, recent, open_one = three_applications
    old_files = stored(old)
    assert old_files and all(storage.exists(name) for storage, name in old_files)
    names = list(old.documents.values_list("original_name", flat=True))

    with on(TODAY), django_capture_on_commit_callbacks(execute=True):
        result = sweep_memberships()

    assert result["documents_deleted"] == len(old_files)
    assert not any(storage.exists(name) for storage, name in old_files)
    assert not ApplicationDocument.objects.filter(application=old).exists()
    old.refresh_from_db()
    assert old.status == "refused"  # the application itself stays
    for kept in (recent, open_one):
        assert all(storage.exists(name) for storage, name in stored(kept))
        assert kept.documents.exists()
    event = AuditEvent.objects.get(action=Action.MEMBERSHIP_DOCUMENTS_DELETED)
    assert event.data == {"documents": len(old_files), "applications": 1, "kept_days": 365}
    assert not any(name in str(event.data) for name in names)  # counts only

    with on(TODAY), django_capture_on_commit_callbacks(execute=True):
        assert sweep_memberships()["documents_deleted"] == 0  # once
    assert AuditEvent.objects.filter(action=Action.MEMBERSHIP_DOCUMENTS_DELETED).count() == 1


def test_an_operator_without_a_delay_keeps_the_documents(three_applications, monkeypatch):
    comaq = presets.by_name("comaq")
    monkeypatch.setattr(
        presets, "active", lambda: replace(comaq, membership_documents_kept_days=None)
    )
    old = three_applications[0]

    with on(TODAY):
        assert sweep_memberships()["documents_deleted"] == 0

    assert all(storage.exists(name) for storage, name in stored(old))
    assert not AuditEvent.objects.filter(action=Action.MEMBERSHIP_DOCUMENTS_DELETED).exists()

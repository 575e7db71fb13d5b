"""The register of staff views: staff opening a page that shows a file's sensitive
information leaves an event on that file; the person sees that staff consulted it, not
who; the privacy officer finds it in the journal by action and file number."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.urls import reverse

from guichet.audit.models import Action, AuditEvent, Right
from guichet.billing.models import TaxSlipBatch, TaxSlipRL24
from guichet.billing.services.rl24_batch import run_batch
from guichet.credentials.models import Attestation, AttestationKind
from guichet.privacy import registry
from guichet.privacy.middleware import staff_views_named
from guichet.requests.models import Request, RequestKind
from tests.billing.cast import child_of, holder
from tests.billing.rl24_cast import childcare_invoice, pay, with_sin
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client, staff):
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={})
    client.force_login(staff)
    return client


@pytest.fixture
def person(password):
    return holder(password=password, last_name="Kowalczyk-Roy")


@pytest.fixture
def pinned_2027():
    with time_machine.travel(datetime.datetime(2027, 1, 20, 15, 0, tzinfo=datetime.UTC)):
        yield


def viewed(dossier):
    return AuditEvent.objects.filter(action=Action.STAFF_VIEWED, dossier=dossier)


def test_opening_a_request_or_a_file_in_the_admin_is_recorded_on_the_file(desk, staff, person):
    account, file = person
    request = Request.objects.create(
        kind=RequestKind.DOSSIER_CHANGE, submitted_by=account, dossier=file, data={}
    )
    assert desk.get(reverse("requests:review", args=[request.pk])).status_code == 200
    event = viewed(file).get()
    assert event.actor is None and event.right == Right.STAFF
    assert event.data == {"what": "request", "viewed_by": staff.pk}

    assert desk.get(reverse("admin:dossiers_dossier_change", args=[file.pk])).status_code == 200
    assert viewed(file).count() == 2
    assert viewed(file).filter(data__what="file").exists()


def test_lists_posts_and_misses_record_nothing(desk, person):
    __, file = person
    desk.get(reverse("requests:queue"))
    desk.get(reverse("requests:review", args=[987654]))
    assert not AuditEvent.objects.filter(action=Action.STAFF_VIEWED).exists()


def test_a_person_opening_their_own_pages_records_nothing(client, person):
    account, file = person
    client.force_login(account)
    client.get(reverse("dossiers:information"))
    assert not viewed(file).exists()


def test_the_person_sees_staff_consulted_their_file_but_not_who(client, desk, staff, person):
    account, file = person
    desk.get(reverse("admin:dossiers_dossier_change", args=[file.pk]))
    client.force_login(account)
    text = text_of(client.get(reverse("dossiers:activity")))
    assert "Dossier consulté par le personnel" in text
    assert staff.get_full_name() not in text
    assert staff.email not in text


def test_the_privacy_officer_finds_them_in_the_journal(desk, person):
    __, file = person
    desk.get(reverse("admin:dossiers_dossier_change", args=[file.pk]))
    journal = desk.get(
        reverse("audit:journal"), {"action": Action.STAFF_VIEWED, "dossier": file.number}
    )
    assert "Dossier consulté par le personnel" in text_of(journal)


def test_a_relevé_24_with_its_nas_and_its_batch_are_recorded_on_the_payer_and_child(
    pinned_2027, desk, staff
):
    mother, mother_file = holder(first_name="Marie", last_name="Tremblay")
    child = child_of(mother, first_name="Léa", last_name="Gagnon")
    pay(childcare_invoice(mother, child), "200.00", datetime.date(2026, 6, 1))
    with_sin(mother, mother_file)
    batch = TaxSlipBatch.objects.create(year=2026)
    run_batch(batch)
    slip = TaxSlipRL24.objects.get(payer=mother_file)

    pdf = desk.get(reverse("billing:rl24_staff_slip", args=[slip.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert viewed(mother_file).get().data == {"what": "tax_slip", "viewed_by": staff.pk}

    assert desk.get(reverse("billing:rl24_staff_batch", args=[batch.pk])).status_code == 200
    assert viewed(mother_file).filter(data__what="tax_slips").count() == 1
    assert viewed(child).filter(data__what="tax_slips").count() == 1


def test_the_operator_may_have_the_person_see_who_consulted(client, desk, staff, person, settings):
    account, file = person
    settings.GUICHET_STAFF_VIEWS_NAMED = True
    desk.get(reverse("admin:dossiers_dossier_change", args=[file.pk]))
    event = viewed(file).get()
    assert event.actor == staff and event.data["viewed_by"] == staff.pk
    client.force_login(account)
    assert staff.get_full_name() in text_of(client.get(reverse("dossiers:activity")))


def test_whether_staff_are_named_is_the_presets_choice_unless_the_setting_says(settings):
    settings.GUICHET_STAFF_VIEWS_NAMED = None
    settings.GUICHET_PRESET = "comaq"
    assert staff_views_named() is True
    settings.GUICHET_PRESET = "baie-comeau"
    assert staff_views_named() is False
    settings.GUICHET_STAFF_VIEWS_NAMED = True
    assert staff_views_named() is True


def test_every_registered_page_exists_and_is_named_for_the_register():
    views = [view for c in registry.contributors() for view in c.sensitive_views]
    assert len(views) >= 17
    for view in views:
        assert reverse(view.view_name, args=[1]), view.view_name  # NoReverseMatch if wrong
        assert str(view.label), view.view_name
        assert str(registry.what_label(view.what)) == str(view.label), view.what


def test_an_attestation_and_the_counters_file_page_are_recorded(desk, staff, person):
    __, file = person
    attestation = Attestation.objects.create(
        kind=AttestationKind.MEMBERSHIP,
        dossier=file,
        holder_name=file.display_name,
        subject="Membre régulier",
        attested_on=datetime.date(2026, 3, 1),
    )
    assert desk.get(reverse("credentials:staff_detail", args=[attestation.pk])).status_code == 200
    assert desk.get(reverse("backoffice:counter_register", args=[file.pk])).status_code == 200
    assert sorted(viewed(file).values_list("data__what", flat=True)) == [
        "attestation",
        "counter_file",
    ]

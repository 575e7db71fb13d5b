"""Each resource answers as documented, scoped as the pages are: a person's key sees what
that person's pages show, another's never; staff keys see and change what staff do."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from guichet.audit.models import Action, AuditEvent
from guichet.billing.models import Payment
from guichet.billing.services.payments import record_receipt
from guichet.catalog.models import Offering
from guichet.dossiers.models import Dossier
from guichet.dossiers.privacy import export
from guichet.registrations.models import Registration, RegistrationStatus
from tests.api.documented import assert_documented
from tests.api.support import ApiClient, make_key
from tests.billing.cast import child_of, holder, invoiced
from tests.catalog.factories import OfferingFactory, SessionFactory
from tests.dossiers.factories import DossierFactory

pytestmark = pytest.mark.django_db


def get(client, path, **params):
    response = client.get(path, params)
    return assert_documented("GET", path, response), response


def test_one_key_never_sees_another_households_data():
    anne, anne_file = holder()
    ben, ben_file = holder()
    child = child_of(anne)
    invoiced(anne, child, non_member_price=Decimal("40.00"))
    invoiced(ben, ben_file, non_member_price=Decimal("30.00"))
    anne_api = ApiClient(make_key(anne, ["dossiers:read", "registrations:read", "billing:read"]))
    ben_api = ApiClient(make_key(ben, ["dossiers:read", "registrations:read", "billing:read"]))

    body, _ = get(anne_api, "/api/v1/dossiers/")
    assert {row["number"] for row in body["results"]} == {anne_file.number, child.number}
    body, _ = get(ben_api, "/api/v1/dossiers/")
    assert [row["number"] for row in body["results"]] == [ben_file.number]
    # Another's dossier is not found, as on the pages (404, never 403).
    response = ben_api.get(f"/api/v1/dossiers/{child.number}/")
    assert response.status_code == 404
    assert_documented("GET", f"/api/v1/dossiers/{child.number}/", response)

    body, _ = get(anne_api, "/api/v1/registrations/")
    assert [row["participant_number"] for row in body["results"]] == [child.number]
    body, _ = get(ben_api, "/api/v1/registrations/")
    assert [row["participant_number"] for row in body["results"]] == [ben_file.number]
    anne_registration = Registration.objects.get(participant=child)
    assert ben_api.get(f"/api/v1/registrations/{anne_registration.pk}/").status_code == 404

    body, _ = get(anne_api, "/api/v1/invoices/")
    assert [row["total"] for row in body["results"]] == ["45.99"]
    body, _ = get(ben_api, "/api/v1/invoices/")
    assert len(body["results"]) == 1 and body["results"][0]["participant"] == ben_file.pk
    get(anne_api, "/api/v1/credit-notes/")
    get(anne_api, "/api/v1/payments/")


def test_pages_of_a_list_follow_the_cursor_without_offset(staff_api):
    DossierFactory.create_batch(7)
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        body, _ = get(staff_api, "/api/v1/dossiers/", **params)
        seen += [row["id"] for row in body["results"]]
        pages += 1
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert pages == 3
    assert seen == sorted(Dossier.objects.values_list("id", flat=True))


def test_updated_since_lists_in_change_order_and_pages_through_ties(staff_api):
    old = DossierFactory.create_batch(3)
    Dossier.objects.filter(pk__in=[d.pk for d in old]).update(
        updated_at=timezone.now() - datetime.timedelta(days=3)
    )
    since = timezone.now() - datetime.timedelta(days=1)
    fresh = DossierFactory.create_batch(4)
    moment = timezone.now()
    Dossier.objects.filter(pk__in=[d.pk for d in fresh]).update(updated_at=moment)  # a tie
    seen, cursor = [], None
    while True:
        params = {"limit": 3, "updated_since": since.isoformat()}
        if cursor:
            params["cursor"] = cursor
        body, _ = get(staff_api, "/api/v1/dossiers/", **params)
        seen += [row["number"] for row in body["results"]]
        if not (cursor := body["next_cursor"]):
            break
    assert sorted(seen) == sorted(d.number for d in fresh)
    assert len(seen) == 4


def test_etags_answer_304_when_nothing_changed(staff_api):
    offering = OfferingFactory()
    path = f"/api/v1/offerings/{offering.pk}/"
    body, response = get(staff_api, path)
    tag = response["ETag"]
    assert "no-store" in response["Cache-Control"]  # personal data: never in a shared cache
    assert staff_api.get(path, **{"If-None-Match": tag}).status_code == 304
    Offering.objects.filter(pk=offering.pk).update(capacity=99)
    assert staff_api.get(path, **{"If-None-Match": tag}).status_code == 200
    # A change made on a stale read is refused.
    response = staff_api.patch(path, {"capacity": 50}, **{"If-Match": tag})
    assert response.status_code == 412
    assert_documented("PATCH", path, response)


def test_dossiers_are_upserted_on_their_number_by_the_imports_rules(staff_api, staff):
    path = "/api/v1/dossiers/20001/"
    values = {"last_name": "Tremblay", "first_name": "Léa", "birth_date": "1990-04-02"}
    response = staff_api.put(path, values)
    assert response.status_code == 201
    body = assert_documented("PUT", path, response)
    assert body["last_name"] == "Tremblay" and body["number"] == "20001"
    # Again, changed: an update of the same dossier (idempotent on the number).
    response = staff_api.put(path, {"home_postal_code": "g4z1a1"})
    assert response.status_code == 200
    dossier = Dossier.objects.get(number="20001")
    assert (dossier.first_name, dossier.home_postal_code) == ("Léa", "G4Z 1A1")
    assert Dossier.objects.filter(number="20001").count() == 1
    # The import's own rules refuse what it would refuse, in its words.
    response = staff_api.put("/api/v1/dossiers/20002/", {"first_name": "Sans nom"})
    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"] == [
        "Le nom de famille est manquant pour une personne."
    ]
    events = AuditEvent.objects.filter(action=Action.API_WRITE).order_by("id")
    assert [e.data["operation"] for e in events] == ["dossier.created", "dossier.updated"]
    assert events[0].data["key"] == "ERP" and events[0].actor == staff
    assert events[0].dossier == dossier


def test_a_person_s_key_may_not_write_dossiers_or_the_catalog(household):
    account, dossier = household
    api = ApiClient(make_key(account))
    response = api.put(f"/api/v1/dossiers/{dossier.number}/", {"first_name": "Autre"})
    assert response.status_code == 403
    assert api.post("/api/v1/offerings/", {"title": "x"}).status_code == 403


def test_staff_create_and_update_offerings_and_sessions(staff_api):
    now = timezone.now()
    values = {
        "kind": "activity",
        "title": "Yoga du matin",
        "slug": "yoga-du-matin",
        "starts_on": str(timezone.localdate() + datetime.timedelta(days=30)),
        "ends_on": str(timezone.localdate() + datetime.timedelta(days=60)),
        "capacity": 12,
        "member_price": "50.00",
        "non_member_price": "70.00",
        "registration_opens_at": now.isoformat(),
        "registration_closes_at": (now + datetime.timedelta(days=20)).isoformat(),
        "change_deadline": (now + datetime.timedelta(days=10)).isoformat(),
        "published": True,
    }
    response = staff_api.post("/api/v1/offerings/", values)
    assert response.status_code == 201, response.json()
    offering = assert_documented("POST", "/api/v1/offerings/", response)
    path = f"/api/v1/offerings/{offering['id']}/"
    response = staff_api.patch(path, {"capacity": 15})
    assert assert_documented("PATCH", path, response)["capacity"] == 15
    # The model's own rules hold (ends before it starts).
    response = staff_api.patch(path, {"ends_on": "2000-01-01"})
    assert response.status_code == 400
    session = {
        "offering": offering["id"],
        "starts_at": (now + datetime.timedelta(days=30)).isoformat(),
        "ends_at": (now + datetime.timedelta(days=30, hours=1)).isoformat(),
    }
    response = staff_api.post("/api/v1/sessions/", session)
    assert response.status_code == 201, response.json()
    created = assert_documented("POST", "/api/v1/sessions/", response)
    response = staff_api.patch(f"/api/v1/sessions/{created['id']}/", {"place": "Salle B"})
    assert (
        assert_documented("PATCH", f"/api/v1/sessions/{created['id']}/", response)["place"]
        == "Salle B"
    )
    body, _ = get(staff_api, "/api/v1/sessions/", offering=offering["id"])
    assert [row["place"] for row in body["results"]] == ["Salle B"]


def test_the_public_catalog_is_what_a_person_s_key_sees(household):
    account, _ = household
    shown, hidden = OfferingFactory(), OfferingFactory(published=False)
    SessionFactory(offering=shown)
    SessionFactory(offering=hidden)
    api = ApiClient(make_key(account, ["catalog:read"]))
    body, _ = get(api, "/api/v1/offerings/")
    assert [row["id"] for row in body["results"]] == [shown.pk]
    assert api.get(f"/api/v1/offerings/{hidden.pk}/").status_code == 404
    body, _ = get(api, "/api/v1/sessions/")
    assert [row["offering"] for row in body["results"]] == [shown.pk]


def test_a_registration_is_created_through_the_submit_service_once_per_key(household):
    account, dossier = household
    offering = OfferingFactory(non_member_price=Decimal("0.00"), member_price=Decimal("0.00"))
    api = ApiClient(make_key(account, ["registrations:write"]))
    payload = {"offering": offering.pk, "participant": dossier.number}
    key = str(uuid.uuid4())
    response = api.post("/api/v1/registrations/", payload, **{"Idempotency-Key": key})
    assert response.status_code == 201, response.json()
    body = assert_documented("POST", "/api/v1/registrations/", response)
    assert body["status"] == RegistrationStatus.CONFIRMED and body["right"] == "self"
    again = api.post("/api/v1/registrations/", payload, **{"Idempotency-Key": key})
    assert again.status_code == 201 and again.json()["id"] == body["id"]
    assert again["Idempotent-Replayed"] == "true"
    assert Registration.objects.count() == 1
    offering.refresh_from_db()
    assert offering.spots_taken == 1
    event = AuditEvent.objects.get(action=Action.API_WRITE)
    assert event.data["operation"] == "registration.created"
    assert AuditEvent.objects.filter(action=Action.REGISTERED).count() == 1
    # A new key is a new attempt: refused as the pages refuse it (already registered).
    response = api.post("/api/v1/registrations/", payload, **{"Idempotency-Key": "autre"})
    assert response.status_code == 409
    assert response.json()["code"] == "already"
    # Without the header, nothing is done.
    response = api.post("/api/v1/registrations/", payload)
    assert response.status_code == 428


def test_nobody_registers_a_stranger_through_the_api(household):
    account, _ = household
    _, stranger = holder()
    offering = OfferingFactory()
    api = ApiClient(make_key(account, ["registrations:write"]))
    response = api.post(
        "/api/v1/registrations/",
        {"offering": offering.pk, "participant": stranger.number},
        **{"Idempotency-Key": "k1"},
    )
    assert response.status_code == 409
    assert response.json()["code"] == "no_right"
    # Nor for a dossier that does not exist: the same answer.
    response = api.post(
        "/api/v1/registrations/",
        {"offering": offering.pk, "participant": "99999999"},
        **{"Idempotency-Key": "k2"},
    )
    assert response.status_code == 409 and response.json()["code"] == "no_right"
    assert not Registration.objects.exists()


def test_staff_record_an_offline_payment_through_billing(staff_api, staff):
    anne, anne_file = holder()
    registration, invoice = invoiced(anne, anne_file, non_member_price=Decimal("40.00"))
    assert registration.status == RegistrationStatus.PENDING_PAYMENT
    path = f"/api/v1/invoices/{invoice.pk}/payments/"
    payment = {
        "amount": str(invoice.total),
        "method": "cheque",
        "received_on": str(timezone.localdate()),
        "reference": "123",
    }
    response = staff_api.post(path, payment)
    assert response.status_code == 201, response.json()
    assert_documented("POST", path, response)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED  # billing's own consequence
    assert Payment.objects.get().recorded_by == staff
    response = staff_api.post(path, payment)
    assert response.status_code == 409
    assert response.json()["detail"] == "Le montant dépasse le solde de la facture."
    body, _ = get(staff_api, "/api/v1/invoices/", status="settled")
    assert [row["id"] for row in body["results"]] == [invoice.pk]
    body, _ = get(staff_api, "/api/v1/invoices/", status="open")
    assert body["results"] == []
    body, _ = get(staff_api, "/api/v1/payments/", invoice=invoice.pk)
    assert body["results"][0]["reference"] == "123"


def test_a_change_moves_a_registration_and_an_invoice_into_updated_since(staff_api, staff):
    anne, anne_file = holder()
    registration, invoice = invoiced(anne, anne_file, non_member_price=Decimal("40.00"))
    later = timezone.now() + datetime.timedelta(hours=1)
    since = {"updated_since": later.isoformat()}
    for path in ("/api/v1/registrations/", "/api/v1/invoices/"):
        body, _ = get(staff_api, path, **since)
        assert body["results"] == [], path
    # Paid an hour later: billing writes the invoice and confirms the registration, each
    # with ``update_fields``; both now read as changed.
    with time_machine.travel(later + datetime.timedelta(minutes=1)):
        record_receipt(
            invoice,
            amount=invoice.total,
            method="cheque",
            received_on=timezone.localdate(),
            actor=staff,
        )
    body, _ = get(staff_api, "/api/v1/registrations/", **since)
    assert [(r["id"], r["status"]) for r in body["results"]] == [
        (registration.pk, RegistrationStatus.CONFIRMED)
    ]
    body, _ = get(staff_api, "/api/v1/invoices/", **since)
    assert [(r["id"], r["status"]) for r in body["results"]] == [(invoice.pk, "paid")]
    assert body["results"][0]["updated_at"] > body["results"][0]["issued_at"]


def test_a_dossier_through_the_api_holds_what_the_persons_archive_holds(household):
    account, dossier = household
    api = ApiClient(make_key(account, ["dossiers:read"]))
    body, _ = get(api, f"/api/v1/dossiers/{dossier.number}/")
    archived = export(account).tables[0].rows[0]
    assert archived["number"] == body["number"]
    # One list of a dossier's fields (dossiers.privacy.IDENTITY) for both.
    assert set(body) - {"id", "updated_at"} == set(archived) - {"role"}

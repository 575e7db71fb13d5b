"""Webhook endpoints on « API et webhooks » (Administration role only): staff add one with
its events and see its signing secret once; they archive it (never delete it) and nothing
is sent to it any more, its retries included; each endpoint lists its latest deliveries or
its failures only; each action is in the audit trail under its own name."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from guichet.accounts.models import StaffRole
from guichet.api.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint, WebhookMessage
from guichet.api.tasks import deliver_due_webhooks
from guichet.api.webhooks import delivery as delivering
from guichet.api.webhooks import events
from guichet.audit.models import Action, AuditEvent
from guichet.core.roles import Role
from tests.api.receiver import Receiver
from tests.factories import AccountFactory
from tests.support.pages import text_of

INDEX = "/api/personnel/"
NEW = "/api/personnel/webhooks/nouvelle/"


def signed_in(client, *roles):
    staff = AccountFactory(is_staff=True)
    for role in roles:
        StaffRole.objects.create(account=staff, role=role)
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={})
    client.force_login(staff)
    return staff


def add(client, url, *event_types):
    return client.post(
        NEW, {"url": url, "events": list(event_types), "description": "ERP", "notify_email": ""}
    )


@pytest.mark.django_db
def test_only_the_administration_role_adds_or_archives_endpoints(client):
    endpoint = WebhookEndpoint.objects.create(
        url="https://erp.exemple.ca/hooks", secret=delivering.new_secret(), events=[]
    )
    pages = [NEW, reverse("api:staff_endpoint", args=[endpoint.pk])]
    archive = reverse("api:staff_archive_endpoint", args=[endpoint.pk])
    for path in pages:
        assert client.get(path).status_code == 302  # to sign in
    assert client.post(archive).status_code == 302
    client.force_login(AccountFactory())  # not staff
    for path in pages:
        assert client.get(path).status_code == 404
    assert add(client, "https://pirate.exemple.ca/", "invoice.paid").status_code == 404
    assert client.post(archive).status_code == 404
    signed_in(client, Role.REGISTRAR, Role.ACCOUNTING)  # staff, another role
    for path in pages:
        assert client.get(path).status_code == 404
    assert add(client, "https://pirate.exemple.ca/", "invoice.paid").status_code == 404
    assert client.post(archive).status_code == 404
    endpoint.refresh_from_db()
    assert endpoint.archived_at is None
    assert WebhookEndpoint.objects.count() == 1
    assert not AuditEvent.objects.filter(action__startswith="api.webhook_endpoint").exists()


@pytest.mark.django_db
def test_an_endpoint_is_added_with_its_events_and_its_secret_shown_once(client):
    staff = signed_in(client, Role.ADMINISTRATION)
    page = text_of(client.get(NEW))
    assert "Ajouter une destination de webhook" in page and "Une facture a été payée" in page
    response = add(client, "https://erp.exemple.ca/hooks", "invoice.paid", "relation.added")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    secret = re.search(r"whsec_[A-Za-z0-9+/=]+", text_of(response)).group(0)
    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.url, endpoint.secret, endpoint.created_by) == (
        "https://erp.exemple.ca/hooks",
        secret,
        staff,
    )
    assert endpoint.events == ["invoice.paid", "relation.added"]
    assert endpoint.active and endpoint.archived_at is None
    # Never shown again.
    for path in (INDEX, reverse("api:staff_endpoint", args=[endpoint.pk])):
        page = text_of(client.get(path))
        assert endpoint.url in page and secret not in page
    event = AuditEvent.objects.get(action=Action.WEBHOOK_ENDPOINT_ADDED)
    assert event.actor == staff and event.role == Role.ADMINISTRATION
    assert event.data["events"] == ["invoice.paid", "relation.added"]
    assert secret not in str(event.data)


@pytest.mark.django_db
def test_a_bad_address_or_no_event_is_refused_in_french_and_what_was_typed_is_kept(client):
    signed_in(client, Role.ADMINISTRATION)
    response = client.post(NEW, {"url": "pas une adresse", "description": "Mon ERP"})
    page = text_of(response)
    assert response.status_code == 200 and not WebhookEndpoint.objects.exists()
    assert "Saisissez une URL valide" in page and "Ce champ est obligatoire" in page
    assert 'value="pas une adresse"' in page and 'value="Mon ERP"' in page


@pytest.mark.django_db(transaction=True)
def test_an_archived_endpoint_receives_nothing_not_even_its_retries(client):
    receiver = Receiver(secret=delivering.new_secret(), answers=[500]).start()
    try:
        staff = signed_in(client, Role.ADMINISTRATION)
        endpoint = WebhookEndpoint.objects.create(
            url=receiver.url, secret=receiver.secret, events=["invoice.paid"]
        )
        events.emit("invoice.paid", {"invoice": {"id": 1}})  # fails: a retry awaits
        retry = WebhookDelivery.objects.get()
        assert retry.status == DeliveryStatus.RETRYING and len(receiver.received) == 1
        response = client.post(reverse("api:staff_archive_endpoint", args=[endpoint.pk]))
        assert response.status_code == 302
        endpoint.refresh_from_db()
        assert endpoint.archived_at is not None and endpoint.archived_by == staff
        event = AuditEvent.objects.get(action=Action.WEBHOOK_ENDPOINT_ARCHIVED)
        assert event.actor == staff and event.data["url"] == receiver.url
        # Kept, with its log; no new delivery, and the retry is not attempted.
        assert events.emit("invoice.paid", {"invoice": {"id": 2}}) is None
        WebhookDelivery.objects.update(next_attempt_at=retry.created_at)
        assert deliver_due_webhooks() == 0
        assert delivering.attempt(retry.pk) is None
        assert len(receiver.received) == 1 and WebhookDelivery.objects.count() == 1
        page = text_of(client.get(INDEX))
        assert "Archivée le" in page and receiver.url in page
        assert "Archiver cette destination" not in text_of(
            client.get(reverse("api:staff_endpoint", args=[endpoint.pk]))
        )
        # Archiving again changes nothing and writes no second row.
        client.post(reverse("api:staff_archive_endpoint", args=[endpoint.pk]))
        assert AuditEvent.objects.filter(action=Action.WEBHOOK_ENDPOINT_ARCHIVED).count() == 1
        assert (
            client.get(reverse("api:staff_archive_endpoint", args=[endpoint.pk])).status_code == 405
        )
    finally:
        receiver.stop()


@pytest.mark.django_db
def test_each_endpoint_lists_its_failures_apart(client):
    signed_in(client, Role.ADMINISTRATION)
    endpoint = WebhookEndpoint.objects.create(
        url="http://127.0.0.1:9/hooks", secret=delivering.new_secret(), events=["invoice.paid"]
    )
    for number, status in enumerate(
        [DeliveryStatus.SUCCEEDED, DeliveryStatus.FAILED, DeliveryStatus.RETRYING]
    ):
        message = WebhookMessage.objects.create(
            msg_id=f"msg_{number}", event_type="invoice.paid", payload={}
        )
        WebhookDelivery.objects.create(endpoint=endpoint, message=message, status=status)
    index = text_of(client.get(INDEX))
    assert "1 échec, 1 en attente d'un nouvel essai" in index
    page = text_of(client.get(reverse("api:staff_endpoint", args=[endpoint.pk])))
    assert page.count("Envoyer de nouveau") == 3
    failures = text_of(client.get(reverse("api:staff_endpoint", args=[endpoint.pk]), {"echecs": 1}))
    assert failures.count("Envoyer de nouveau") == 2
    assert "Livré" not in failures and "Échoué" in failures

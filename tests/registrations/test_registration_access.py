"""Nobody sees or changes a registration that is not theirs, their household's or their
delegation's: 404 on every page that takes an id."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from guichet.registrations.models import Registration
from guichet.registrations.services.register import submit_cart
from tests.registrations.engine_support import add_child, make_offering, make_person
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

PAGES = ["detail", "cancel", "modify", "offer"]


@pytest.fixture
def registration():
    guardian, _ = make_person()
    child = add_child(guardian)
    key = uuid.uuid4().hex
    submit_cart(
        actor=guardian,
        lines=[(make_offering(), child, {}, {})],
        idempotency_key=key,
        right_for=None,
    )
    return Registration.objects.get()


@pytest.mark.parametrize("name", PAGES)
def test_outsider_gets_404(client, outsider, registration, name):
    client.force_login(outsider)
    url = reverse(f"registrations:{name}", args=[registration.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"accept": "1"}).status_code == 404
    registration.refresh_from_db()
    assert registration.status == "held"


def test_outsider_cannot_confirm_or_read_the_result(client, outsider, registration):
    client.force_login(outsider)
    assert client.post(reverse("registrations:confirm", args=[registration.pk])).status_code == 404
    result = reverse("registrations:result", args=[registration.submission.key])
    assert client.get(result).status_code == 404


@pytest.mark.parametrize("name", PAGES)
def test_guardian_reaches_the_pages(client, registration, name):
    client.force_login(registration.registered_by)
    assert client.get(reverse(f"registrations:{name}", args=[registration.pk])).status_code == 200


def test_cancel_page_before_and_after_the_deadline(client, registration):
    import datetime

    from django.utils import timezone

    client.force_login(registration.registered_by)
    url = reverse("registrations:cancel", args=[registration.pk])
    offering = registration.offering
    offering.change_deadline = timezone.now() - datetime.timedelta(minutes=1)
    offering.save()
    page = client.get(url)
    assert "La date limite pour modifier ou annuler en ligne est passée." in text_of(page)
    client.post(url)
    registration.refresh_from_db()
    assert registration.status == "held"
    offering.change_deadline = timezone.now() + datetime.timedelta(days=1)
    offering.save()
    client.post(url)
    registration.refresh_from_db()
    assert registration.status == "cancelled"

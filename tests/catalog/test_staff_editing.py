"""Staff create and edit offerings in the back office; spots taken are never typed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from guichet.catalog.models import Offering, Option
from tests.catalog.factories import OfferingFactory, OptionFactory
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

INLINES = ("sessions", "options", "questions", "documents")


def management(prefix: str, total: int = 0) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def offering_form(**values: str) -> dict[str, str]:
    data = {
        "kind": "activity",
        "title_fr": "Yoga pour adultes",
        "title_en": "Yoga for adults",
        "slug": "yoga-pour-adultes",
        "starts_on": "2027-01-14",
        "ends_on": "2027-03-04",
        "capacity": "15",
        "member_price": "90.00",
        "non_member_price": "120.00",
        "registration_opens_at_0": "2026-12-01",
        "registration_opens_at_1": "19:00:00",
        "registration_closes_at_0": "2027-01-10",
        "registration_closes_at_1": "23:59:00",
        "change_deadline_0": "2027-01-07",
        "change_deadline_1": "23:59:00",
        "hold_minutes": "20",
        "offer_hours": "24",
        "refund_policy": "fee",
        "cancellation_fee": "15.00",
        "one_per_person": "on",
        "published": "on",
        "spots_taken": "15",  # ignored: read-only
    }
    for prefix in INLINES:
        data |= management(prefix)
    return data | values


def test_staff_create_an_offering_with_an_option(staff_client):
    data = offering_form() | management("options", 1)
    data |= {
        "options-0-kind": "companion",
        "options-0-name_fr": "Accompagnateur au gala",
        "options-0-price": "175.00",
        "options-0-max_per_registration": "1",
        "options-0-card_only": "on",
        "options-0-position": "0",
    }

    response = staff_client.post(reverse("admin:catalog_offering_add"), data)

    assert response.status_code == 302, text_of(response)[:3000]
    offering = Offering.objects.get(slug="yoga-pour-adultes")
    assert offering.spots_taken == 0
    assert offering.registration_opens_at.isoformat() == "2026-12-02T00:00:00+00:00"
    option = Option.objects.get(offering=offering)
    assert option.card_only and option.taken == 0


def test_spots_taken_cannot_be_changed_in_the_admin(staff_client):
    offering = OfferingFactory(capacity=10, spots_taken=4, slug="hockey")
    data = offering_form(slug="hockey", capacity="10", spots_taken="0")

    staff_client.post(reverse("admin:catalog_offering_change", args=[offering.pk]), data)

    offering.refresh_from_db()
    assert offering.spots_taken == 4
    assert offering.title == "Yoga pour adultes"


def test_admin_list_shows_spots_left_and_filters(staff_client):
    OfferingFactory(title="Natation", capacity=12, spots_taken=9)

    page = text_of(staff_client.get(reverse("admin:catalog_offering_changelist")))

    assert "Natation" in page
    assert '<td class="field-spots_left_display">3</td>' in page
    assert "Places restantes" in page


def test_an_offering_with_spots_taken_cannot_be_deleted(staff_client):
    offering = OfferingFactory(spots_taken=1)
    OptionFactory(offering=offering)

    response = staff_client.get(reverse("admin:catalog_offering_delete", args=[offering.pk]))

    assert response.status_code == 403
    assert Offering.objects.filter(pk=offering.pk).exists()


def test_people_without_staff_rights_cannot_reach_the_admin(client, account):
    client.force_login(account)

    response = client.get(reverse("admin:catalog_offering_changelist"))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]

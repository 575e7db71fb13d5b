"""Two guardians of one child: each sees and changes only the registrations, invoices and
answers they made (« chaque tuteur ne voit que ses propres informations »), unless the
operator's preset says guardians share; even then, a guardian never cancels or modifies
another guardian's registration. Staff change anyone's."""

from __future__ import annotations

import dataclasses
import uuid

import pytest
from django.urls import reverse

from guichet import presets
from guichet.billing.models import Invoice
from guichet.registrations.models import Registration, RegistrationStatus
from guichet.registrations.services import changes
from guichet.registrations.services.register import ToRegister, submit_cart
from tests.billing.cast import child_of, holder, invoiced
from tests.catalog.factories import OfferingFactory
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def family():
    """Marie registered Léa; Jean-François is Léa's other guardian."""
    marie, _ = holder(first_name="Marie")
    jean_francois, _ = holder(first_name="Jean-François")
    lea = child_of(marie, jean_francois, first_name="Léa", last_name="Tremblay")
    registration, invoice = invoiced(marie, lea, title="Natation junior")
    Registration.objects.filter(pk=registration.pk).update(answers={"Allergies": "Arachides"})
    return marie, jean_francois, registration, invoice


@pytest.fixture
def sharing(settings, monkeypatch):
    """An operator whose preset says guardians share what each made."""
    shared = dataclasses.replace(presets.PRESETS["demo"], slug="partage", guardians_share=True)
    monkeypatch.setitem(presets.PRESETS, "partage", shared)
    settings.GUICHET_PRESET = "partage"


def test_every_preset_states_whether_guardians_share():
    assert presets.PRESETS["baie-comeau"].guardians_share is False
    assert presets.PRESETS["demo"].guardians_share is False


def test_the_second_guardian_does_not_see_the_first_guardians_registration(client, family):
    _marie, jean_francois, registration, invoice = family
    assert not Registration.objects.visible_to(jean_francois).exists()
    assert not Invoice.objects.visible_to(jean_francois).exists()

    client.force_login(jean_francois)
    assert client.get(reverse("registrations:detail", args=[registration.pk])).status_code == 404
    listing = text_of(client.get(reverse("registrations:mine")))
    assert "Natation junior" not in listing
    assert "Arachides" not in listing


def test_the_second_guardian_cannot_cancel_it_and_no_refund_is_made(client, family):
    marie, jean_francois, registration, invoice = family
    client.force_login(jean_francois)
    for name in ("cancel", "modify", "confirm"):
        assert (
            client.post(reverse(f"registrations:{name}", args=[registration.pk])).status_code == 404
        )
    with pytest.raises(changes.ChangeRefused):
        changes.cancel(registration, actor=jean_francois)
    registration.refresh_from_db()
    assert registration.status != RegistrationStatus.CANCELLED
    invoice.refresh_from_db()
    assert invoice.amount_credited == 0


def test_the_first_guardian_keeps_seeing_and_changing_their_own(client, family):
    marie, _jean_francois, registration, _invoice = family
    client.force_login(marie)
    assert client.get(reverse("registrations:detail", args=[registration.pk])).status_code == 200
    client.post(reverse("registrations:cancel", args=[registration.pk]))
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


def test_when_guardians_share_the_other_guardian_sees_but_never_changes(client, family, sharing):
    _marie, jean_francois, registration, invoice = family
    assert Registration.objects.visible_to(jean_francois).filter(pk=registration.pk).exists()
    assert Invoice.objects.visible_to(jean_francois).filter(pk=invoice.pk).exists()

    client.force_login(jean_francois)
    page = text_of(client.get(reverse("registrations:detail", args=[registration.pk])))
    assert "Natation junior" in page
    assert reverse("registrations:cancel", args=[registration.pk]) not in page
    assert reverse("registrations:modify", args=[registration.pk]) not in page
    for name in ("cancel", "modify", "confirm"):
        assert (
            client.post(reverse(f"registrations:{name}", args=[registration.pk])).status_code == 404
        )
    with pytest.raises(changes.ChangeRefused):
        changes.modify(registration, {}, {}, actor=jean_francois)
    registration.refresh_from_db()
    assert registration.status != RegistrationStatus.CANCELLED


def test_staff_cancel_and_modify_anyone_s_registration(family, staff):
    _marie, _jean_francois, registration, _invoice = family
    changes.modify(registration, {}, {"Allergies": "Aucune"}, actor=staff)
    changes.cancel(registration, actor=staff)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert registration.answers == {"Allergies": "Aucune"}


def test_each_guardian_registers_the_child_and_sees_only_their_own(client, family):
    _marie, jean_francois, registration, _invoice = family
    line = submit_cart(
        actor=jean_francois,
        lines=[ToRegister(OfferingFactory(title="Soccer"), registration.participant, {}, {})],
        idempotency_key=uuid.uuid4().hex,
    )["lines"][0]
    assert line["registration"], line["reason"]
    mine = Registration.objects.visible_to(jean_francois)
    assert list(mine.values_list("offering__title", flat=True)) == ["Soccer"]

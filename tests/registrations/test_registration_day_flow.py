"""Registration day in few requests: from the offering's page in one POST when there is
nothing to ask, a full offering's waiting list in one POST, a free spot confirmed with its
hold, a prepared cart in one POST, and the registration's page as the answer."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from guichet.audit.models import Action, AuditEvent
from guichet.catalog.models import Question
from guichet.registrations.models import CartLine, Registration
from tests.registrations.engine_support import make_offering, make_option, make_person
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

KEY = re.compile(r'name="key" value="([^"]+)"')


def page(client, offering):
    return client.get(reverse("catalog:detail", args=[offering.slug]))


def register_here(client, offering, dossier, key=None):
    """What the offering page's button posts."""
    if key is None:
        key = KEY.search(page(client, offering).content.decode()).group(1)
    url = reverse("registrations:start", args=[offering.slug])
    return client.post(url, {"step": "here", "key": key, "participants": [dossier.pk]})


def test_a_free_offering_that_asks_nothing_registers_from_its_page_in_one_post(
    client, mailbox, django_capture_on_commit_callbacks
):
    account, dossier = make_person()
    offering = make_offering(member_price=0, non_member_price=0)
    client.force_login(account)

    shown = text_of(page(client, offering))
    assert 'name="participants"' in shown and 'value="here"' in shown
    with django_capture_on_commit_callbacks(execute=True):
        response = register_here(client, offering, dossier)

    registration = Registration.objects.get(participant=dossier)
    assert registration.status == "confirmed" and registration.held_until is None
    assert registration.confirmed_at is not None
    assert response.url == reverse("registrations:detail", args=[registration.pk])
    answer = text_of(client.get(response.url))
    assert "Inscription confirmée. Un courriel de confirmation est en route." in answer
    assert "Confirmer l'inscription" not in answer  # nothing left to confirm
    actions = set(AuditEvent.objects.filter(dossier=dossier).values_list("action", flat=True))
    assert {Action.REGISTERED, Action.REGISTRATION_CONFIRMED} <= actions
    assert mailbox.wait_for(account.email, "Inscription confirmée")
    offering.refresh_from_db()
    assert offering.spots_taken == 1


def test_a_full_offering_says_so_and_joins_the_waiting_list_in_one_post(client):
    account, dossier = make_person()
    offering = make_offering(capacity=1, spots_taken=1)
    client.force_login(account)

    shown = text_of(page(client, offering))
    assert "Complet" in shown and "Joindre la liste d'attente" in shown
    response = register_here(client, offering, dossier)

    registration = Registration.objects.get(participant=dossier)
    assert registration.status == "waiting"
    assert response.url == reverse("registrations:detail", args=[registration.pk])
    assert "liste d'attente" in text_of(client.get(response.url))


def test_a_double_click_registers_once(client):
    account, dossier = make_person()
    offering = make_offering(member_price=0, non_member_price=0)
    client.force_login(account)
    key = KEY.search(page(client, offering).content.decode()).group(1)

    first = register_here(client, offering, dossier, key)
    second = register_here(client, offering, dossier, key)

    assert first.url == second.url
    assert Registration.objects.filter(participant=dossier).count() == 1
    offering.refresh_from_db()
    assert offering.spots_taken == 1


def test_a_paid_spot_is_held_and_its_page_offers_the_confirmation(client):
    account, dossier = make_person()
    offering = make_offering()  # 40 $ / 60 $: something owed, so the confirmation stays
    client.force_login(account)

    response = register_here(client, offering, dossier)

    registration = Registration.objects.get(participant=dossier)
    assert registration.status == "held"
    answer = text_of(client.get(response.url))
    assert "Place réservée" in answer and "Confirmer l'inscription" in answer


@pytest.mark.parametrize("asks", ["question", "option"])
def test_an_offering_that_asks_something_keeps_the_steps(client, asks):
    account, dossier = make_person()
    offering = make_offering()
    if asks == "question":
        Question.objects.create(offering=offering, label="Taille du chandail")
    else:
        make_option(offering)
    client.force_login(account)

    shown = text_of(page(client, offering))
    assert 'value="here"' not in shown
    assert f'href="{reverse("registrations:start", args=[offering.slug])}"' in shown
    # A page loaded before a question was added: the POST goes to the steps instead.
    response = register_here(client, offering, dossier, key="6f1c4c1e-0c8a-4a57-9a55-6c1b7a1f7e11")
    assert response.url.endswith("?step=who")
    assert not Registration.objects.exists()


def test_nobody_outside_the_household_is_registered_from_the_page(client):
    account, _ = make_person()
    _, stranger = make_person()
    offering = make_offering(member_price=0, non_member_price=0)
    client.force_login(account)

    response = register_here(client, offering, stranger)

    assert response.url.endswith("?step=who")
    assert not Registration.objects.exists()


def test_a_prepared_cart_submits_in_one_post_and_answers_with_the_registration(client):
    account, dossier = make_person()
    offering = make_offering(member_price=0, non_member_price=0)
    CartLine.objects.create(account=account, offering=offering, participant=dossier)
    client.force_login(account)
    form = client.get(reverse("registrations:cart")).content.decode()
    key = KEY.search(form).group(1)

    response = client.post(reverse("registrations:cart"), {"submit": "1", "key": key})

    registration = Registration.objects.get(participant=dossier)
    assert registration.status == "confirmed"
    assert response.url == reverse("registrations:detail", args=[registration.pk])
    assert not CartLine.objects.exists()


def test_the_one_post_and_the_registration_page_stay_within_their_queries(
    client, django_assert_max_num_queries
):
    account, dossier = make_person()
    offering = make_offering(member_price=0, non_member_price=0)
    client.force_login(account)
    key = KEY.search(page(client, offering).content.decode()).group(1)

    # Session, account, offering, household, « asks anything? », then the cart (submission,
    # line, right, « already? / free? », the spot, the registration, two audit rows, the
    # email's option lines (no invoice to read: none can exist yet), the email's outbox row
    # (core/outbox.py), the stored result) and their savepoints.
    with django_assert_max_num_queries(19):
        response = register_here(client, offering, dossier, key)
    # Session, account, the registration, its invoices, the right to change it, its options
    # (read once for the lines and the total).
    with django_assert_max_num_queries(6):
        assert client.get(response.url).status_code == 200
    # Session, account, the offering and its sessions, options, questions, documents, the
    # people of the file.
    with django_assert_max_num_queries(8):
        assert page(client, offering).status_code == 200

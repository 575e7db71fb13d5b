"""The registration pages: who → questions → review → result, double click, delegate."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guichet.catalog.models import Question
from guichet.registrations.models import CartLine, Registration
from tests.registrations.engine_support import (
    add_child,
    make_delegate,
    make_offering,
    make_option,
    make_person,
)
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db


def test_self_registration_through_the_three_steps(client):
    account, dossier = make_person()
    offering = make_offering()
    Question.objects.create(offering=offering, label="Taille du chandail", required=True)
    gala = make_option(offering)
    client.force_login(account)
    url = reverse("registrations:start", args=[offering.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, {"step": "who", "participants": [dossier.pk]})
    assert response.url.endswith("?step=details")
    mine = f"p{dossier.pk}"  # one participant's fields are prefixed with their dossier
    response = client.post(url, {"step": "details", f"{mine}-o{gala.pk}": "1"})
    assert response.status_code == 200  # the required question is missing
    assert "Taille du chandail" in text_of(response)
    question = offering.questions.get()
    client.post(url, {"step": "details", f"{mine}-o{gala.pk}": "1", f"{mine}-q{question.pk}": "M"})
    review = client.get(url + "?step=review")
    key = review.context["form"].initial["key"]
    assert "Soirée gala" in text_of(review)
    response = client.post(url, {"step": "review", "key": str(key)})
    again = client.post(url, {"step": "review", "key": str(key)})  # double click
    assert again.status_code in (200, 302)
    registration = Registration.objects.get()
    assert registration.answers == {"Taille du chandail": "M"}
    assert registration.option_lines.get().option == gala
    result = client.get(response.url)
    assert "Place réservée" in text_of(result) or "Spot held" in text_of(result)


def test_previous_keeps_the_choices(client):
    account, dossier = make_person()
    offering = make_offering()
    client.force_login(account)
    url = reverse("registrations:start", args=[offering.slug])
    client.post(url, {"step": "who", "participants": [dossier.pk]})
    response = client.post(url, {"step": "review", "previous": "1"})
    assert response.url.endswith("?step=details")
    who = client.get(url + "?step=who")
    assert who.context["form"].initial["participants"] == [dossier.pk]


def test_guardian_sees_household_but_not_a_stranger(client):
    guardian, _ = make_person()
    child = add_child(guardian, first_name="Léa", last_name="Tremblay")
    # A name no factory draws, so a random collision cannot hide a leak.
    _, stranger = make_person(first_name="Zébulon", last_name="Inconnu-Étranger")
    client.force_login(guardian)
    url = reverse("registrations:start", args=[make_offering().slug])
    page = text_of(client.get(url))
    assert "Léa" in page and stranger.last_name not in page
    response = client.post(url, {"step": "who", "participants": [stranger.pk]})
    assert response.status_code == 200  # not a choice
    client.post(url, {"step": "who", "participants": [child.pk]})


def test_delegate_searches_an_active_account_by_name(client):
    delegate, _ = make_delegate()
    member, member_dossier = make_person(first_name="Gaston", last_name="Tremblay-Ouellet")
    client.force_login(delegate)
    offering = make_offering()
    url = reverse("registrations:start", args=[offering.slug])
    page = client.get(url, {"q": "Tremblay-Ouellet", "step": "who"})
    assert "Gaston Tremblay-Ouellet" in text_of(page)
    response = client.post(
        url, {"step": "who", "q": "Tremblay-Ouellet", "participants": [member_dossier.pk]}
    )
    assert response.url.endswith("?step=details")


def test_cart_shows_the_opening_and_holds_the_button_until_then(client):
    guardian, _ = make_person()
    child = add_child(guardian)
    opening = timezone.now() + datetime.timedelta(hours=2)
    offering = make_offering(registration_opens_at=opening)
    client.force_login(guardian)
    url = reverse("registrations:cart")
    client.post(url, {"add": "1", "offering": offering.pk, "participant": child.pk})
    assert CartLine.objects.filter(account=guardian).count() == 1
    page = client.get(url)
    assert "disabled" in page.content.decode()
    assert "Submit at the opening" in text_of(page) or "ouverture" in text_of(page)


def test_cart_submits_every_line_and_shows_each_result(client):
    guardian, _ = make_person()
    kids = [add_child(guardian) for _ in range(2)]
    offering = make_offering(capacity=1)
    client.force_login(guardian)
    url = reverse("registrations:cart")
    for kid in kids:
        client.post(url, {"add": "1", "offering": offering.pk, "participant": kid.pk})
    key = client.get(url).context["submit_form"].initial["key"]
    response = client.post(url, {"submit": "1", "key": str(key)})
    result = text_of(client.get(response.url))
    assert kids[0].display_name in result and kids[1].display_name in result
    assert Registration.objects.filter(status="held").count() == 1
    assert Registration.objects.filter(status="waiting").count() == 1
    assert not CartLine.objects.exists()


def test_busy_database_gives_the_retry_page_not_a_500(client, monkeypatch):
    account, dossier = make_person()
    offering = make_offering()
    client.force_login(account)

    def saturated(**kwargs):
        raise OperationalError("could not obtain lock")

    monkeypatch.setattr("guichet.registrations.views.start.submit_cart", saturated)
    url = reverse("registrations:start", args=[offering.slug])
    client.post(url, {"step": "who", "participants": [dossier.pk]})
    client.get(url + "?step=details")  # no question: straight on to the review
    response = client.post(url, {"step": "review", "key": "6f1e8a0c-9a7e-4a53-9d1e-1f2d3c4b5a69"})
    assert response.status_code == 503
    assert "réessayez" in text_of(response)


def test_before_the_opening_the_page_gives_the_server_opening_time(client):
    account, _ = make_person()
    opening = timezone.now() + datetime.timedelta(days=2)
    offering = make_offering(registration_opens_at=opening)
    client.force_login(account)
    page = text_of(client.get(reverse("registrations:start", args=[offering.slug])))
    assert "Les inscriptions ouvrent le" in page and "Panier familial" in page


def _stored_session(client) -> dict:
    return Session.objects.get(session_key=client.session.session_key).get_decoded()


def _through_to_review(client, account, dossier, offering) -> tuple[str, str]:
    client.force_login(account)
    url = reverse("registrations:start", args=[offering.slug])
    client.post(url, {"step": "who", "participants": [dossier.pk]})
    review = client.get(url + "?step=details", follow=True)
    return url, str(review.context["form"].initial["key"])


@pytest.mark.django_db(transaction=True)
def test_the_submission_clears_the_wizard_in_its_own_single_commit(client):
    account, dossier = make_person()
    offering = make_offering()
    url, key = _through_to_review(client, account, dossier, offering)
    assert f"registration:{offering.pk}" in _stored_session(client)
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, {"step": "review", "key": key})
    assert response.status_code == 302
    statements = [q["sql"] for q in captured.captured_queries]
    assert statements.count("COMMIT") == 1
    session_write = next(i for i, s in enumerate(statements) if 'UPDATE "django_session"' in s)
    spot = next(i for i, s in enumerate(statements) if "spots_taken = spots_taken + 1" in s)
    assert session_write < spot  # the offering's row lock is not held for the session write
    assert statements[session_write - 1] == "BEGIN"  # first in the transaction, no savepoint
    assert f"registration:{offering.pk}" not in _stored_session(client)
    assert Registration.objects.filter(participant=dossier, status="held").exists()


@pytest.mark.django_db(transaction=True)
def test_a_busy_database_keeps_the_choices_for_the_retry(client, monkeypatch):
    account, dossier = make_person()
    offering = make_offering()
    url, key = _through_to_review(client, account, dossier, offering)

    def saturated(**kwargs):
        raise OperationalError("could not obtain lock")

    with monkeypatch.context() as patched:
        patched.setattr("guichet.registrations.views.start.submit_cart", saturated)
        assert client.post(url, {"step": "review", "key": key}).status_code == 503
    assert f"registration:{offering.pk}" in _stored_session(client)
    retry = client.post(url, {"step": "review", "key": key})
    registration = Registration.objects.get(participant=dossier)  # one, not two
    assert retry.url == reverse("registrations:detail", args=[registration.pk])


def test_once_admitted_at_the_who_step_the_later_steps_skip_the_queue_query(client):
    account, dossier = make_person()
    offering = make_offering(registration_opens_at=timezone.now() - datetime.timedelta(minutes=1))
    url, key = _through_to_review(client, account, dossier, offering)
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, {"step": "review", "key": key})
    registration = Registration.objects.get(participant=dossier)
    assert response.url == reverse("registrations:detail", args=[registration.pk])
    assert not [q for q in captured.captured_queries if "queueticket" in q["sql"]]


def test_a_who_step_posted_before_the_opening_does_not_pass_the_queue(client, settings):
    settings.GUICHET_QUEUE_ADMIT_PER_MINUTE = 1
    opening = timezone.now() + datetime.timedelta(minutes=5)
    offering = make_offering(registration_opens_at=opening)
    first, _ = make_person()
    second, dossier = make_person()
    url = reverse("registrations:start", args=[offering.slug])
    client.force_login(first)
    client.get(url)  # first in line
    client.force_login(second)
    client.post(url, {"step": "who", "participants": [dossier.pk]})  # prepared before opening
    with time_machine.travel(opening + datetime.timedelta(seconds=3), tick=False):
        page = client.get(url + "?step=details")
    assert page.templates[0].name == "registrations/queue.html"
    assert "1 personne devant vous" in text_of(page)


def test_a_household_cap_is_checked_through_the_pages(client):
    # The view's request.user is a lazy object: the service must still lock the account.
    account, dossier = make_person()
    offering = make_offering(household_cap=1)
    url, key = _through_to_review(client, account, dossier, offering)
    response = client.post(url, {"step": "review", "key": key})
    assert response.status_code == 302
    assert Registration.objects.filter(participant=dossier, status="held").exists()

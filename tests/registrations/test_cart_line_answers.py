"""The family cart: each line's questions and options are answered before the opening."""

from __future__ import annotations

import pytest
from django.urls import reverse

from guichet.catalog.models import Question
from guichet.registrations.models import CartLine, Registration
from tests.registrations.engine_support import add_child, make_offering, make_option, make_person
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def camp_cart(client):
    guardian, _ = make_person()
    child = add_child(guardian, first_name="Léa")
    camp = make_offering(title="Camp de jour")
    size = Question.objects.create(
        offering=camp, label="Taille du chandail", kind="choice", choices=["P", "M"], required=True
    )
    lunch = make_option(camp, name="Dîner chaud", capacity=10, max_per_registration=5)
    client.force_login(guardian)
    client.post(
        reverse("registrations:cart"), {"add": "1", "offering": camp.pk, "participant": child.pk}
    )
    return guardian, child, CartLine.objects.get(account=guardian), size, lunch


def submit(client):
    url = reverse("registrations:cart")
    key = client.get(url).context["submit_form"].initial["key"]
    return client.post(url, {"submit": "1", "key": str(key)}, follow=True)


def test_a_line_with_unanswered_required_questions_is_not_submitted(client, camp_cart):
    page = text_of(submit(client))
    assert "À compléter" in page and "questions obligatoires" in page
    assert not Registration.objects.exists() and CartLine.objects.count() == 1


def test_answers_saved_on_the_line_are_registered_with_it(client, camp_cart):
    guardian, child, line, size, lunch = camp_cart
    url = reverse("registrations:cart_line", args=[line.pk])
    prefix = f"p{child.pk}"
    response = client.post(url, {f"{prefix}-q{size.pk}": "", f"{prefix}-o{lunch.pk}": "2"})
    assert response.status_code == 200 and "Ce champ est obligatoire." in text_of(response)
    assert response.context["form"][f"o{lunch.pk}"].value() == "2"  # nothing typed is lost
    client.post(url, {f"{prefix}-q{size.pk}": "M", f"{prefix}-o{lunch.pk}": "2"})
    line.refresh_from_db()
    assert line.answers == {"Taille du chandail": "M"}
    assert client.get(url).context["form"][f"q{size.pk}"].value() == "M"
    submit(client)
    registration = Registration.objects.get(participant=child)
    assert registration.answers == {"Taille du chandail": "M"}
    assert registration.option_lines.get().quantity == 2


def test_another_account_cannot_open_a_cart_line(client, camp_cart):
    line = camp_cart[2]
    stranger, _ = make_person()
    client.force_login(stranger)
    assert client.get(reverse("registrations:cart_line", args=[line.pk])).status_code == 404

"""The registration pages: people the offering refuses are shown disabled with the reason,
the steps are numbered over the steps taken, and the review says what will be owed."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.billing.models import Invoice
from guichet.catalog import eligibility
from guichet.catalog.models import Question
from guichet.registrations.models import Registration
from guichet.registrations.services.register import confirm, submit_cart
from tests.registrations.engine_support import add_child, make_offering, make_option, make_person
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

D = Decimal


def aged(years: int) -> datetime.date:
    """A birth date making the person ``years`` old 30 days from now (the offering's start)."""
    day = timezone.localdate() + datetime.timedelta(days=30)
    return day.replace(year=day.year - years) - datetime.timedelta(days=10)


def checkbox(html: str, dossier) -> str:
    found = re.search(
        rf'<input type="checkbox" name="participants" value="{dossier.pk}"[^>]*>', html
    )
    assert found, f"no checkbox for {dossier.display_name}"
    return found.group(0)


def describedby_text(html: str, box: str) -> str:
    ids = re.search(r'aria-describedby="([^"]+)"', box).group(1).split()
    texts = [re.search(rf'id="{i}"[^>]*>([^<]*)<', html).group(1) for i in ids]
    return " ".join(texts)


@pytest.fixture
def family():
    guardian, parent = make_person(first_name="Marie", last_name="Tremblay")
    parent.birth_date = aged(40)
    parent.save()
    lea = add_child(guardian, first_name="Léa", last_name="Tremblay", birth_date=aged(7))
    noe = add_child(guardian, first_name="Noé", last_name="Tremblay", birth_date=aged(7))
    return guardian, parent, lea, noe


def test_people_the_offering_refuses_are_disabled_with_the_submissions_reason(client, family):
    guardian, parent, lea, noe = family
    offering = make_offering(title="Natation 6-8 ans", min_age=6, max_age=8)
    submit_cart(actor=guardian, lines=[(offering, noe, {}, {})], idempotency_key="noe")
    client.force_login(guardian)
    url = reverse("registrations:start", args=[offering.slug])

    html = text_of(client.get(url))

    assert "disabled" not in checkbox(html, lea)
    assert "disabled" in checkbox(html, parent)
    assert describedby_text(html, checkbox(html, parent)) == eligibility.age_rule(offering)
    assert "disabled" in checkbox(html, noe)
    assert describedby_text(html, checkbox(html, noe)) == eligibility.already_registered(noe)
    assert "Cette activité est offerte aux 6 à 8 ans" in html


def test_a_refused_person_posted_anyway_is_not_taken(client, family):
    guardian, parent, lea, _ = family
    offering = make_offering(min_age=6, max_age=8)
    client.force_login(guardian)
    url = reverse("registrations:start", args=[offering.slug])

    response = client.post(url, {"step": "who", "participants": [parent.pk, lea.pk]})

    assert response.status_code == 200
    assert eligibility.age_rule(offering) in text_of(response)
    assert not client.session[f"registration:{offering.pk}"].get("participants")


def test_steps_count_only_the_steps_taken(client):
    account, dossier = make_person()
    plain = make_offering()
    asked = make_offering()
    Question.objects.create(offering=asked, label="Allergies")
    client.force_login(account)

    plain_url = reverse("registrations:start", args=[plain.slug])
    assert "Étape 1 de 2\xa0: qui" in text_of(client.get(plain_url))
    client.post(plain_url, {"step": "who", "participants": [dossier.pk]})
    review = client.get(plain_url + "?step=details", follow=True)
    assert "Étape 2 de 2\xa0: vérification" in text_of(review)

    asked_url = reverse("registrations:start", args=[asked.slug])
    assert "Étape 1 de 3\xa0: qui" in text_of(client.get(asked_url))
    client.post(asked_url, {"step": "who", "participants": [dossier.pk]})
    assert "Étape 2 de 3\xa0: questions et options" in text_of(
        client.get(asked_url + "?step=details")
    )
    client.post(asked_url, {"step": "details", f"p{dossier.pk}-q{asked.questions.get().pk}": "Non"})
    assert "Étape 3 de 3\xa0: vérification" in text_of(client.get(asked_url + "?step=review"))


def test_the_review_shows_each_participants_amount_and_the_total_taxes_included(
    client, settings, family
):
    settings.GUICHET_PRESET = "demo"
    guardian, _, lea, noe = family
    noe.member_until = timezone.localdate() + datetime.timedelta(days=365)
    noe.save()
    offering = make_offering(member_price=D("40.00"), non_member_price=D("60.00"))
    lunch = make_option(offering, name="Dîner chaud", price=D("7.50"), max_per_registration=5)
    client.force_login(guardian)
    url = reverse("registrations:start", args=[offering.slug])
    client.post(url, {"step": "who", "participants": [lea.pk, noe.pk]})
    client.post(url, {"step": "details", f"p{lea.pk}-o{lunch.pk}": "2"})

    review = client.get(url + "?step=review")
    html = text_of(review)

    # Léa: 60,00 + 2 × 7,50 = 75,00; TPS 3,00 + 0,75, TVQ 5,99 + 1,50 → 86,24
    # Noé (member): 40,00; TPS 2,00, TVQ 3,99 → 45,99
    assert re.search(r"Léa Tremblay.*?Non-membre.*?86,24 \$", html, re.S)
    assert re.search(r"Noé Tremblay.*?Membre.*?45,99 \$", html, re.S)
    assert re.search(r"Total, taxes incluses.*?132,23 \$", html, re.S)
    assert "115,00 $ avant taxes, TPS 5,75 $, TVQ 11,48 $" in html
    assert not Invoice.objects.exists()  # the review issues nothing

    client.post(url, {"step": "review", "key": str(review.context["form"].initial["key"])})
    for registration in Registration.objects.all():
        confirm(registration, actor=guardian)
    totals = {i.participant_id: i.total for i in Invoice.objects.all()}
    assert totals == {lea.pk: D("86.24"), noe.pk: D("45.99")}


def test_a_tax_exempt_offering_adds_no_tax(client):
    account, dossier = make_person()
    offering = make_offering(non_member_price=D("60.00"), tax_exempt=True)
    client.force_login(account)
    url = reverse("registrations:start", args=[offering.slug])
    client.post(url, {"step": "who", "participants": [dossier.pk]})

    html = text_of(client.get(url + "?step=details", follow=True))

    assert re.search(r"Total, taxes incluses.*?60,00 \$", html, re.S)
    assert "TPS" not in html


def test_a_free_offering_says_free(client):
    account, dossier = make_person()
    offering = make_offering(member_price=D("0"), non_member_price=D("0"))
    client.force_login(account)
    url = reverse("registrations:start", args=[offering.slug])
    client.post(url, {"step": "who", "participants": [dossier.pk]})

    html = text_of(client.get(url + "?step=details", follow=True))

    assert re.search(r"Total, taxes incluses.*?Gratuit", html, re.S)
    assert "0,00 $" not in html.split("Total, taxes incluses", 1)[1].split("</tfoot>")[0]


def test_a_full_offering_says_nothing_is_owed_until_a_spot_is_offered(client):
    account, dossier = make_person()
    offering = make_offering(capacity=0)
    client.force_login(account)
    url = reverse("registrations:start", args=[offering.slug])
    client.post(url, {"step": "who", "participants": [dossier.pk]})

    html = text_of(client.get(url + "?step=details", follow=True))

    assert "rien n'est dû avant qu'une place soit offerte" in html

"""Bilingual content (django-modeltranslation): each text a person reads of an offering has a
French and an English value; English falls back to French, and the page says so."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from guichet.billing.services.invoicing import credit_invoice
from guichet.catalog.bilingual import in_french
from guichet.catalog.models import Question, QuestionKind
from guichet.registrations.choices import Choices
from guichet.registrations.forms import DetailsForm
from tests.billing.cast import plain_invoice
from tests.catalog.factories import OfferingFactory, QuestionFactory
from tests.dossiers.factories import DossierFactory
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

FRENCH_ONLY = "This text is available in French only."


@pytest.fixture(autouse=True)
def _french_to_start():
    """A page seen earlier leaves its language active; rows are made in French here."""
    with translation.override("fr"):
        yield


def english(client):
    client.cookies["guichet_langue"] = "en"
    return client


def test_a_value_given_without_a_language_is_the_french_one():
    offering = OfferingFactory(title="Yoga pour adultes", place="Aréna")

    offering.refresh_from_db()
    assert offering.title_fr == "Yoga pour adultes"
    assert offering.title_en is None
    with translation.override("en"):
        assert offering.title == "Yoga pour adultes"  # falls back to French


def test_the_english_page_shows_the_english_text_without_the_notice(client):
    offering = OfferingFactory(
        title="Yoga pour adultes",
        title_en="Yoga for adults",
        summary_en="Gentle yoga.",
        description_en="Bring a mat.",
        place_en="Maple community centre",
        schedule_en="Tuesdays 6:30 p.m.",
    )

    page = text_of(english(client).get(reverse("catalog:detail", args=[offering.slug])))

    assert "Yoga for adults" in page and "Maple community centre" in page
    assert "Tuesdays 6:30 p.m." in page and "Bring a mat." in page
    assert "Yoga pour adultes" not in page
    assert FRENCH_ONLY not in page


def test_english_falls_back_to_french_and_the_page_says_so(client):
    with translation.override("fr"):  # a value without a language: French only
        offering = OfferingFactory(title="Patinage libre", description="Apportez vos patins.")

    response = english(client).get(reverse("catalog:detail", args=[offering.slug]))

    page = text_of(response)
    assert "Patinage libre" in page and "Apportez vos patins." in page
    assert FRENCH_ONLY in page
    assert '<h1 lang="fr">Patinage libre</h1>' in response.content.decode()


def test_the_french_page_never_shows_the_notice(client):
    offering = OfferingFactory(title="Patinage libre")

    page = text_of(client.get(reverse("catalog:detail", args=[offering.slug])))

    assert "Patinage libre" in page and FRENCH_ONLY not in page


def test_the_catalog_search_and_place_filter_read_both_languages_on_an_english_page(client):
    OfferingFactory(title="Natation adulte", title_en="Adult swimming", place="Piscine Henri-L.")

    english(client)
    by_french = text_of(client.get(reverse("catalog:list"), {"q": "natation"}))
    by_english = text_of(client.get(reverse("catalog:list"), {"q": "swimming"}))
    by_place = text_of(client.get(reverse("catalog:list"), {"place": "Piscine Henri-L."}))

    assert "Adult swimming" in by_french
    assert "Adult swimming" in by_english
    assert "Adult swimming" in by_place


def test_an_answer_given_in_english_is_found_again_in_french():
    offering = OfferingFactory()
    question = QuestionFactory(
        offering=offering, label="Allergies ?", label_en="Allergies?", kind=QuestionKind.TEXT
    )
    questions = [question]

    with translation.override("en"):
        choices = Choices.from_form_data(
            {f"q{question.pk}": "Arachides"}, questions=questions, options=[]
        )
    with translation.override("fr"):
        initial = choices.form_initial(questions=questions, options=[])

    assert choices.answers == {"Allergies ?": "Arachides"}
    assert initial[f"q{question.pk}"] == "Arachides"


def test_a_choice_is_shown_in_english_and_kept_in_french():
    offering = OfferingFactory()
    question = QuestionFactory(
        offering=offering,
        label="Groupe",
        label_en="Group",
        kind=QuestionKind.CHOICE,
        choices=["Matin", "Soir"],
        choices_en=["Morning"],  # the evening is not translated: French is shown
    )
    participant = DossierFactory()

    with translation.override("en"):
        form = DetailsForm(
            offering=offering,
            participant=participant,
            data={f"p{participant.pk}-q{question.pk}": "Matin"},
        )
        shown = list(form.fields[f"q{question.pk}"].choices)

    assert shown == [("", "—"), ("Matin", "Morning"), ("Soir", "Soir")]
    assert Question.objects.get(pk=question.pk).choices_fr == ["Matin", "Soir"]


def test_saving_in_french_keeps_the_french_text_in_the_unsuffixed_column():
    offering = OfferingFactory(title="Ancien titre")
    offering.title_fr = "Nouveau titre"
    offering.title_en = "New title"

    with translation.override("en"), in_french():
        offering.save()

    with connection.cursor() as cursor:
        cursor.execute("SELECT title FROM catalog_offering WHERE id = %s", [offering.pk])
        assert cursor.fetchone()[0] == "Nouveau titre"


def test_a_credit_note_keeps_its_reason_in_both_languages(account):
    invoice = plain_invoice(account, DossierFactory(), "50.00", description="Yoga")

    note = credit_invoice(invoice, actor=account, reason=gettext_lazy("Registration cancelled"))

    assert note.reason_fr == "Inscription annulée"
    assert note.reason_en == "Registration cancelled"
    with translation.override("en"):
        assert note.reason == "Registration cancelled"
    with translation.override("fr"):
        assert note.reason == "Inscription annulée"


def test_a_plain_reason_is_the_french_one(account):
    invoice = plain_invoice(account, DossierFactory(), "50.00", description="Yoga")

    with translation.override("en"):
        note = credit_invoice(invoice, actor=account, reason="Geste commercial")

    assert note.reason_fr == "Geste commercial"

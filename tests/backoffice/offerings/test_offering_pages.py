"""The back office's offerings pages: registrars (and Administration) build offerings in both
languages, preview them and copy a season; every other visitor gets a 404."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.audit.models import Action, AuditEvent
from guichet.backoffice.offerings.seasons import Season
from guichet.catalog.models import Offering, Option, Question, Session
from tests.backoffice.offerings.conftest import staff_client_with
from tests.catalog.factories import OfferingFactory, OptionFactory, QuestionFactory, SessionFactory
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db


def management(prefix: str, total: int = 0, initial: int = 0) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def offering_form(**values: str) -> dict[str, str]:
    data = {
        "kind": "activity",
        "title_fr": "Yoga pour adultes",
        "title_en": "Yoga for adults",
        "summary_fr": "Yoga doux.",
        "summary_en": "Gentle yoga.",
        "place_fr": "Centre des Érables",
        "place_en": "Maple centre",
        "schedule_fr": "mardis 18 h 30",
        "schedule_en": "Tuesdays 6:30 p.m.",
        "starts_on": "2027-01-12",
        "ends_on": "2027-03-02",
        "capacity": "15",
        "member_price": "90.00",
        "non_member_price": "120.00",
        "opens_on": "2026-12-01",
        "opens_time": "19:00",
        "closes_on": "2027-01-10",
        "closes_time": "23:59",
        "deadline_on": "2027-01-07",
        "deadline_time": "23:59",
        "hold_minutes": "20",
        "offer_hours": "24",
        "refund_policy": "fee",
        "cancellation_fee": "15.00",
        "one_per_person": "on",
        "min_age": "18",
        **management("sessions"),
        **management("options"),
        **management("questions"),
    }
    return data | values


PAGES = (
    ("backoffice:offering_list", False),
    ("backoffice:offering_create", False),
    ("backoffice:offering_edit", True),
    ("backoffice:offering_preview", True),
    ("backoffice:season_copy", False),
)


@pytest.mark.parametrize(("name", "takes_pk"), PAGES)
def test_a_role_without_the_right_gets_a_404(counter_client, name, takes_pk):
    offering = OfferingFactory()
    url = reverse(name, args=[offering.pk] if takes_pk else [])

    assert counter_client.get(url).status_code == 404
    assert counter_client.post(url, offering_form()).status_code == 404
    assert Offering.objects.count() == 1


@pytest.mark.parametrize(("name", "takes_pk"), PAGES)
def test_the_registrar_and_administration_open_every_page(client, name, takes_pk):
    from guichet.core.roles import Role

    offering = OfferingFactory()
    url = reverse(name, args=[offering.pk] if takes_pk else [])
    for role in (Role.REGISTRAR, Role.ADMINISTRATION):
        assert staff_client_with(client, role).get(url).status_code == 200


def test_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("backoffice:offering_list"))
    assert response.status_code == 302 and "/compte/login/" in response["Location"]


def test_the_registrar_builds_an_offering_in_both_languages(registrar_client):
    data = offering_form() | management("sessions", 1) | management("options", 1)
    data |= management("questions", 1)
    data |= {
        "sessions-0-day": "2027-01-12",
        "sessions-0-start": "18:30",
        "sessions-0-end": "19:30",
        "sessions-0-place_fr": "Salle 2",
        "sessions-0-place_en": "Room 2",
        "options-0-kind": "option",
        "options-0-name_fr": "Tapis de yoga",
        "options-0-name_en": "Yoga mat",
        "options-0-price": "25.00",
        "options-0-max_per_registration": "1",
        "options-0-position": "0",
        "questions-0-label_fr": "Niveau",
        "questions-0-label_en": "Level",
        "questions-0-kind": "choice",
        "questions-0-choices_fr": "Débutant\nAvancé",
        "questions-0-choices_en": "Beginner\nAdvanced",
        "questions-0-position": "0",
    }

    response = registrar_client.post(reverse("backoffice:offering_create"), data)

    assert response.status_code == 302, text_of(response)[:3000]
    offering = Offering.objects.get()
    assert (offering.title_fr, offering.title_en) == ("Yoga pour adultes", "Yoga for adults")
    assert offering.slug == "yoga-pour-adultes"
    assert not offering.published and offering.spots_taken == 0
    opens = timezone.localtime(offering.registration_opens_at)
    assert (opens.date(), opens.hour, opens.minute) == (datetime.date(2026, 12, 1), 19, 0)
    session = Session.objects.get(offering=offering)
    assert (session.place_fr, session.place_en) == ("Salle 2", "Room 2")
    assert timezone.localtime(session.starts_at).time() == datetime.time(18, 30)
    option = Option.objects.get(offering=offering)
    assert (option.name_fr, option.name_en, option.taken) == ("Tapis de yoga", "Yoga mat", 0)
    question = Question.objects.get(offering=offering)
    assert question.choices_fr == ["Débutant", "Avancé"]
    assert question.choices_en == ["Beginner", "Advanced"]
    event = AuditEvent.objects.get(action=Action.OFFERING_CREATED)
    assert event.actor == registrar_client.account
    assert event.data["role"] == "registrar" and event.data["offering"] == offering.pk


def test_bad_input_is_shown_beside_its_field_and_nothing_typed_is_lost(registrar_client):
    data = offering_form(ends_on="2026-12-30", opens_time="25:99", title_en="Yoga for adults")

    response = registrar_client.post(reverse("backoffice:offering_create"), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_ends_on_errors"' in page and 'id="id_opens_time_errors"' in page
    assert "La date de fin doit suivre la date de début." in text_of(response) or (
        "The end date must come after the start date." in text_of(response)
    )
    assert 'value="Yoga for adults"' in page and 'value="25:99"' in page
    assert not Offering.objects.exists()


def test_capacity_cannot_go_below_the_spots_taken_and_saving_never_moves_them(registrar_client):
    offering = OfferingFactory(capacity=10, spots_taken=6)
    url = reverse("backoffice:offering_edit", args=[offering.pk])

    refused = registrar_client.post(url, offering_form(capacity="5"))
    Offering.objects.filter(pk=offering.pk).update(spots_taken=7)  # a registration meanwhile
    saved = registrar_client.post(url, offering_form(capacity="12"))

    assert refused.status_code == 200 and 'id="id_capacity_errors"' in refused.content.decode()
    assert saved.status_code == 302
    offering.refresh_from_db()
    assert (offering.capacity, offering.spots_taken) == (12, 7)
    assert AuditEvent.objects.filter(action=Action.OFFERING_CHANGED).count() == 1


def test_editing_keeps_an_options_count_and_deletes_what_is_ticked(registrar_client):
    offering = OfferingFactory(capacity=10)
    option = OptionFactory(offering=offering, name="Repas", taken=3, capacity=5)
    question = QuestionFactory(offering=offering, label="Allergies ?")
    data = offering_form(capacity="10") | management("options", 1, 1)
    data |= management("questions", 1, 1)
    data |= {
        "options-0-id": str(option.pk),
        "options-0-kind": "option",
        "options-0-name_fr": "Repas du midi",
        "options-0-name_en": "Lunch",
        "options-0-price": "12.00",
        "options-0-capacity": "5",
        "options-0-max_per_registration": "1",
        "options-0-position": "0",
        "questions-0-id": str(question.pk),
        "questions-0-label_fr": "Allergies ?",
        "questions-0-kind": "text",
        "questions-0-position": "0",
        "questions-0-DELETE": "on",
    }

    response = registrar_client.post(reverse("backoffice:offering_edit", args=[offering.pk]), data)

    assert response.status_code == 302, text_of(response)[:3000]
    option.refresh_from_db()
    assert (option.name_fr, option.name_en, option.taken) == ("Repas du midi", "Lunch", 3)
    assert not Question.objects.filter(pk=question.pk).exists()


def test_the_list_shows_a_season_and_a_kind(registrar_client, django_assert_max_num_queries):
    winter = Season(2027, 0)
    shown = [
        OfferingFactory(title=f"Hiver {n}", starts_on=datetime.date(2027, 1, 10 + n))
        for n in range(5)
    ]
    event = OfferingFactory(kind="event", starts_on=datetime.date(2027, 2, 1))
    spring = OfferingFactory(starts_on=datetime.date(2027, 4, 10))

    with django_assert_max_num_queries(12):
        page = registrar_client.get(
            reverse("backoffice:offering_list"), {"season": winter.key, "kind": "activity"}
        ).content.decode()

    def listed(offering):
        return reverse("backoffice:offering_edit", args=[offering.pk]) in page

    assert all(listed(offering) for offering in shown)
    assert not listed(event) and not listed(spring)


def test_the_english_preview_shows_the_english_text_or_says_it_is_french_only(registrar_client):
    translated = OfferingFactory(
        title="Natation",
        title_en="Swimming",
        summary_en="For everyone.",
        description_en="The activity's description.",
        place_en="Maple centre",
        schedule_en="Tuesdays 6:30 p.m.",
        published=False,
    )
    french = OfferingFactory(title="Patinage libre", published=False)

    english = text_of(
        registrar_client.get(
            reverse("backoffice:offering_preview", args=[translated.pk]), {"langue": "en"}
        )
    )
    fallback = text_of(
        registrar_client.get(
            reverse("backoffice:offering_preview", args=[french.pk]), {"langue": "en"}
        )
    )
    in_french = text_of(
        registrar_client.get(reverse("backoffice:offering_preview", args=[translated.pk]))
    )

    assert "Swimming" in english and "This text is available in French only." not in english
    assert "Patinage libre" in fallback and "This text is available in French only." in fallback
    assert "Natation" in in_french and "Swimming" not in in_french


def test_copying_a_season_moves_every_date_by_whole_weeks(registrar_client):
    tuesday = datetime.date(2027, 1, 12)
    original = OfferingFactory(
        title="Yoga pour adultes",
        title_en="Yoga for adults",
        slug="yoga",
        starts_on=tuesday,
        ends_on=tuesday + datetime.timedelta(weeks=7),
        spots_taken=8,
    )
    SessionFactory(offering=original)
    OptionFactory(offering=original, taken=2, capacity=5)
    QuestionFactory(offering=original, label="Niveau", label_en="Level")
    OfferingFactory(title="Printemps", starts_on=datetime.date(2027, 4, 10))

    response = registrar_client.post(
        reverse("backoffice:season_copy"), {"source": "2027-hiver", "target": "2027-printemps"}
    )

    assert response.status_code == 302
    assert response["Location"].endswith("?season=2027-printemps")
    copy = Offering.objects.exclude(pk=original.pk).get(title_fr="Yoga pour adultes")
    shift = copy.starts_on - original.starts_on
    assert shift.days % 7 == 0 and copy.starts_on.weekday() == tuesday.weekday()
    assert Season.of(copy.starts_on) == Season(2027, 1)
    assert copy.registration_opens_at - original.registration_opens_at == shift
    assert (copy.title_en, copy.spots_taken, copy.published) == ("Yoga for adults", 0, False)
    assert copy.slug == "yoga-2027-printemps"
    assert copy.sessions.get().starts_at - original.sessions.get().starts_at == shift
    assert copy.options.get().taken == 0
    assert copy.questions.get().label_en == "Level"
    assert Offering.objects.filter(title_fr="Printemps").count() == 1  # spring not copied
    event = AuditEvent.objects.get(action=Action.SEASON_COPIED)
    assert event.data["copies"] == {str(original.pk): copy.pk} and event.data["role"] == "registrar"


def test_a_season_is_copied_only_forward(registrar_client):
    OfferingFactory(starts_on=datetime.date(2027, 4, 10))

    response = registrar_client.post(
        reverse("backoffice:season_copy"), {"source": "2027-printemps", "target": "2027-hiver"}
    )

    assert response.status_code == 200 and 'id="id_target_errors"' in response.content.decode()
    assert Offering.objects.count() == 1


def test_seasons():
    assert Season.of(datetime.date(2027, 3, 31)) == Season(2027, 0)
    assert Season.of(datetime.date(2027, 8, 31)).key == "2027-ete"
    assert Season(2027, 3).next() == Season(2028, 0)
    assert Season.from_key("2027-automne") == Season(2027, 3)
    assert Season.from_key("2027-noel") is None and Season.from_key("x") is None
    assert Season(2027, 0).shift_to(Season(2028, 0)) == datetime.timedelta(weeks=52)


def test_the_new_empty_session_option_and_question_are_ignored(registrar_client):
    data = offering_form() | management("sessions", 1) | management("options", 1)
    data |= management("questions", 1)
    data |= {
        "options-0-kind": "option",
        "options-0-price": "0.00",
        "options-0-max_per_registration": "1",
        "options-0-position": "0",
        "questions-0-kind": "text",
        "questions-0-position": "0",
    }

    response = registrar_client.post(reverse("backoffice:offering_create"), data)

    assert response.status_code == 302, text_of(response)[:3000]
    offering = Offering.objects.get()
    assert not (offering.sessions.exists() or offering.options.exists())
    assert not offering.questions.exists()

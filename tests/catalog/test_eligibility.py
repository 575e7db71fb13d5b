"""Who may register: age on the start date, window minutes, members, residents, price."""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from guichet.catalog import eligibility
from guichet.catalog.models import Offering
from guichet.dossiers.models import Dossier

MONTREAL = ZoneInfo("America/Montreal")
START = datetime.date(2027, 1, 10)
OPENS = datetime.datetime(2026, 12, 1, 19, 0, tzinfo=MONTREAL)
CLOSES = datetime.datetime(2027, 1, 5, 23, 59, tzinfo=MONTREAL)
DURING = datetime.datetime(2026, 12, 15, 12, 0, tzinfo=MONTREAL)


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


def offering(**values) -> Offering:
    """Unsaved: eligibility is pure and needs no database."""
    defaults = {
        "title": "Hockey cosom",
        "starts_on": START,
        "ends_on": START + datetime.timedelta(days=49),
        "capacity": 20,
        "member_price": Decimal("45.00"),
        "non_member_price": Decimal("70.00"),
        "registration_opens_at": OPENS,
        "registration_closes_at": CLOSES,
        "change_deadline": CLOSES,
        "one_per_person": False,
    }
    return Offering(**(defaults | values))


def person(**values) -> Dossier:
    defaults = {
        "first_name": "Léa",
        "last_name": "Tremblay",
        "birth_date": datetime.date(2018, 5, 1),
    }
    return Dossier(**(defaults | values))


def test_everyone_fits_an_open_offering_without_rules():
    assert eligibility.check(offering(), person(), at=DURING) == []


def test_before_the_opening_minute_says_when_it_opens_in_montreal_time():
    just_before = OPENS - datetime.timedelta(seconds=1)

    assert eligibility.check(offering(), person(), at=just_before) == [
        "Les inscriptions ouvrent le 1er décembre 2026 à 19 h."
    ]


def test_the_opening_minute_exactly_is_open():
    assert eligibility.check(offering(), person(), at=OPENS) == []


def test_the_opening_is_shown_in_montreal_time_whatever_the_moment_zone():
    utc_opening = OPENS.astimezone(datetime.UTC)  # 2026-12-02 00:00 UTC

    reasons = eligibility.check(
        offering(registration_opens_at=utc_opening),
        person(),
        at=DURING.replace(year=2026, month=11),
    )

    assert reasons == ["Les inscriptions ouvrent le 1er décembre 2026 à 19 h."]


def test_opening_time_across_the_daylight_saving_change_keeps_the_local_hour():
    # Clocks went back on 2026-11-01: 19 h 00 is 23:00 UTC before and 00:00 UTC after.
    before_change = datetime.datetime(2026, 10, 30, 23, 0, tzinfo=datetime.UTC)
    after_change = datetime.datetime(2026, 11, 3, 0, 0, tzinfo=datetime.UTC)
    asked = datetime.datetime(2026, 10, 1, 12, 0, tzinfo=datetime.UTC)

    assert eligibility.check(offering(registration_opens_at=before_change), person(), at=asked) == [
        "Les inscriptions ouvrent le 30 octobre 2026 à 19 h."
    ]
    assert eligibility.check(offering(registration_opens_at=after_change), person(), at=asked) == [
        "Les inscriptions ouvrent le 2 novembre 2026 à 19 h."
    ]
    one_second_before = after_change - datetime.timedelta(seconds=1)
    assert eligibility.check(
        offering(registration_opens_at=after_change), person(), at=one_second_before
    )
    assert (
        eligibility.check(offering(registration_opens_at=after_change), person(), at=after_change)
        == []
    )


def test_after_closing_registration_is_refused_with_the_closing_moment():
    reasons = eligibility.check(offering(), person(), at=CLOSES)

    assert reasons == ["Les inscriptions sont terminées depuis le 5 janvier 2027 à 23 h 59."]


def test_a_child_turning_six_on_the_start_date_fits_a_six_to_twelve_activity():
    six_on_start = person(birth_date=datetime.date(2021, 1, 10))

    assert eligibility.check(offering(min_age=6, max_age=12), six_on_start, at=DURING) == []


def test_a_child_turning_six_the_day_after_the_start_date_is_refused():
    five_on_start = person(birth_date=datetime.date(2021, 1, 11))

    reasons = eligibility.check(offering(min_age=6, max_age=12), five_on_start, at=DURING)

    assert reasons == ["Cette activité est offerte aux 6 à 12 ans (âge au 10 janvier 2027)."]


def test_a_child_turning_thirteen_on_the_start_date_is_too_old():
    thirteen = person(birth_date=datetime.date(2014, 1, 10))

    reasons = eligibility.check(offering(min_age=6, max_age=12), thirteen, at=DURING)

    assert reasons == ["Cette activité est offerte aux 6 à 12 ans (âge au 10 janvier 2027)."]


def test_adults_only_activity_says_the_minimum_age():
    reasons = eligibility.check(offering(min_age=18), person(), at=DURING)

    assert reasons == ["Cette activité est offerte aux 18 ans et plus (âge au 10 janvier 2027)."]


def test_age_rule_needs_a_birth_date():
    reasons = eligibility.check(offering(min_age=6), person(birth_date=None), at=DURING)

    assert reasons == [
        "Une date de naissance au dossier est nécessaire pour s'inscrire à cette activité."
    ]


def test_members_only_accepts_a_member_on_the_start_date():
    member = person(member_until=START)

    assert eligibility.check(offering(members_only=True), member, at=DURING) == []


def test_members_only_refuses_a_membership_ending_before_the_start():
    lapsed = person(member_until=START - datetime.timedelta(days=1))

    reasons = eligibility.check(offering(members_only=True), lapsed, at=DURING)

    assert reasons == ["Cette offre est réservée aux membres."]


def test_residents_only_refuses_a_non_resident_and_accepts_a_resident():
    only = offering(residents_only=True)

    assert eligibility.check(only, person(is_resident=False), at=DURING) == [
        "Cette activité est réservée aux résidents."
    ]
    assert eligibility.check(only, person(is_resident=True), at=DURING) == []


def test_residents_first_window_refuses_non_residents_until_it_ends():
    until = datetime.datetime(2026, 12, 8, 19, 0, tzinfo=MONTREAL)
    first = offering(residents_first_until=until)
    outsider = person(is_resident=False)

    assert eligibility.check(first, outsider, at=until - datetime.timedelta(minutes=1)) == [
        "Jusqu'au 8 décembre 2026 à 19 h, les inscriptions sont réservées aux résidents."
    ]
    assert eligibility.check(first, person(is_resident=True), at=OPENS) == []
    assert eligibility.check(first, outsider, at=until) == []


def test_every_reason_is_given_at_once():
    reasons = eligibility.check(
        offering(min_age=6, max_age=8, members_only=True, residents_only=True),
        person(birth_date=datetime.date(1980, 1, 1)),
        at=OPENS - datetime.timedelta(minutes=1),
    )

    assert len(reasons) == 4


def test_members_pay_the_member_price_and_others_the_non_member_price():
    member = eligibility.price_for(offering(), person(member_until=START))
    other = eligibility.price_for(offering(), person())

    assert (member.category, member.amount, member.is_member) == ("Membre", Decimal("45.00"), True)
    assert (other.category, other.amount, other.is_member) == (
        "Non-membre",
        Decimal("70.00"),
        False,
    )


def test_messages_follow_the_active_language():
    with translation.override("en"):
        reasons = eligibility.check(
            offering(min_age=6, max_age=12), person(birth_date=datetime.date(1980, 1, 1)), at=DURING
        )

    assert reasons == ["This activity is for ages 6 to 12 (age on January 10, 2027)."]


def test_rules_summarize_the_offering_for_its_page():
    rules = eligibility.rules(offering(min_age=6, max_age=8, members_only=True, household_cap=2))

    assert rules == [
        "Cette activité est offerte aux 6 à 8 ans (âge au 10 janvier 2027).",
        "Cette offre est réservée aux membres.",
        "Au plus 2 inscriptions par famille.",
    ]

"""One way to read a date typed by a person: the usual Quebec forms, day first when the
year comes last, impossible and month-first dates refused with a French reason."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.utils import translation

from guichet.core.dates import DateReadError, read_date
from guichet.core.forms import BirthDateField, DateField

SEPT_14 = datetime.date(2015, 9, 14)
ASK_FORM = "Écrivez la date sous la forme AAAA-MM-JJ ou JJ/MM/AAAA, par exemple 2015-09-14."


@pytest.mark.parametrize(
    "typed",
    [
        "2015-09-14",
        "2015/09/14",
        "14/09/2015",
        "14-09-2015",
        "14.09.2015",
        " 2015-9-14 ",
        "14 / 9 / 2015",
    ],
)
def test_the_usual_quebec_forms_read_the_same_day(typed):
    assert read_date(typed) == SEPT_14


def test_a_year_last_date_is_read_day_first_even_when_both_readings_exist():
    assert read_date("05/12/2015") == datetime.date(2015, 12, 5)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("09/14/2015", "month_first"),
        ("2015-02-29", "impossible"),
        ("31/04/2015", "impossible"),
        ("14/09/15", "invalid"),
        ("hier", "invalid"),
        ("20150914", "invalid"),
        ("1015-09-14", "out_of_range"),
    ],
)
def test_dates_that_cannot_be_read_say_why(typed, code):
    with pytest.raises(DateReadError) as error:
        read_date(typed)
    assert error.value.code == code


def test_a_month_first_date_suggests_the_day_first_form():
    with pytest.raises(DateReadError) as error:
        read_date("09/14/2015")
    assert error.value.suggestion == "14/09/2015"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("09/14/2015", "Écrivez le jour en premier : 14/09/2015 (JJ/MM/AAAA)."),
        ("2015-02-29", "Cette date n'existe pas : vérifiez le jour et le mois."),
        ("hier", ASK_FORM),
        ("14/09/15", ASK_FORM),
        ("1015-09-14", "Écrivez une année entre 1900 et 2100."),
    ],
)
def test_the_field_answers_a_french_reason(typed, message):
    with translation.override("fr"):
        form = _form(DateField())({"day": typed})
        assert not form.is_valid()
        assert form.errors["day"] == [message]


def test_the_field_says_the_expected_form_beside_it():
    with translation.override("fr"):
        assert str(DateField().help_text) == "AAAA-MM-JJ ou JJ/MM/AAAA, par exemple 2015-09-14."
        field = DateField(help_text="Date du premier cours.")
        assert str(field.help_text) == (
            "Date du premier cours. AAAA-MM-JJ ou JJ/MM/AAAA, par exemple 2015-09-14."
        )


def test_a_birth_date_in_the_future_is_refused(time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC))
    with translation.override("fr"):
        form = _form(BirthDateField())({"day": "02/06/2026"})
        assert not form.is_valid()
        assert form.errors["day"] == ["La date de naissance ne peut pas être dans le futur."]
        assert _form(BirthDateField())({"day": "01/06/2026"}).is_valid()


def test_the_typed_text_is_kept_when_refused():
    form = _form(DateField())({"day": "31/02/2015"})
    assert not form.is_valid()
    assert 'value="31/02/2015"' in str(form["day"])


def test_a_stored_date_is_shown_in_the_iso_form():
    form = _form(DateField())(initial={"day": SEPT_14})
    html = str(form["day"])
    assert 'value="2015-09-14"' in html and 'type="text"' in html


def _form(field):
    return type("OneDateForm", (forms.Form,), {"day": field})

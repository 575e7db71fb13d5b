"""Form pieces shared by every app: one accessible field template, the one date field."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from guichet.core.dates import EARLIEST_YEAR, LATEST_YEAR, DateReadError, read_date

DATE_HINT = _("YYYY-MM-DD or DD/MM/YYYY, e.g. 2015-09-14.")


class GuichetFormRenderer(TemplatesSetting):
    """Renders every field with ``core/forms/field.html``: label tied to the field, help
    text and errors referenced by ``aria-describedby``, ``aria-invalid`` on error."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"


class DateField(forms.DateField):
    """The one field for a date a person types (see ``guichet.core.dates`` for the forms
    it reads). A text box, not the browser's date picker: the expected form is said
    beside it and the same words are typed everywhere, on every browser. The help text
    given by a form comes first, then the expected form."""

    widget = forms.DateInput  # type="text"
    default_error_messages = {
        "invalid": _("Enter the date as YYYY-MM-DD or DD/MM/YYYY, e.g. 2015-09-14."),
        "month_first": _("Write the day first: %(suggestion)s (DD/MM/YYYY)."),
        "impossible": _("This date does not exist: check the day and the month."),
        "out_of_range": _("Enter a year between %(earliest)s and %(latest)s."),
    }

    def __init__(self, **kwargs: Any) -> None:
        given = kwargs.pop("help_text", "")
        kwargs["help_text"] = format_lazy("{} {}", given, DATE_HINT) if given else DATE_HINT
        kwargs.setdefault("widget", forms.DateInput(format="%Y-%m-%d"))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return read_date(str(value))
        except DateReadError as error:
            raise ValidationError(
                self.error_messages[error.code],
                code=error.code,
                params={
                    "suggestion": error.suggestion,
                    "earliest": EARLIEST_YEAR,
                    "latest": LATEST_YEAR,
                },
            ) from None


class BirthDateField(DateField):
    """A birth date: a date as above, never in the future."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Birth date"))
        kwargs.setdefault(
            "widget", forms.DateInput(format="%Y-%m-%d", attrs={"autocomplete": "bday"})
        )
        super().__init__(**kwargs)

    def validate(self, value: date | None) -> None:
        super().validate(value)
        if value and value > timezone.localdate():
            raise ValidationError(
                _("The birth date cannot be in the future."), code="future_birth_date"
            )

"""The offering form of the back office: each text in French and English side by side, dates
typed as the rest of the portal types them (core's DateField), each moment as a date and a
time in Quebec time, and the sessions, options and questions as formsets."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guichet.backoffice.offerings.seasons import Season
from guichet.catalog.models import Offering, OfferingKind, Option, Question, Session
from guichet.catalog.services.offerings import free_slug
from guichet.core.forms import DateField

TIME_HINT = _("24-hour clock, e.g. 18:30.")

# The texts of an offering, each in French then English (shown side by side).
TEXTS = ("title", "summary", "description", "place", "schedule")
# (date field, time field, the model's moment, required)
MOMENTS = (
    ("opens_on", "opens_time", "registration_opens_at", True),
    ("closes_on", "closes_time", "registration_closes_at", True),
    ("deadline_on", "deadline_time", "change_deadline", True),
    ("residents_on", "residents_time", "residents_first_until", False),
)


def time_field(label: Any, *, required: bool = True) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=required,
        help_text=TIME_HINT,
        input_formats=["%H:%M", "%H:%M:%S", "%Hh%M", "%H h %M", "%H h"],
        widget=forms.TimeInput(format="%H:%M", attrs={"inputmode": "numeric"}),
        error_messages={"invalid": _("Enter the time as HH:MM, e.g. 18:30.")},
    )


def combine(day: datetime.date, clock: datetime.time) -> datetime.datetime:
    """A date and a time typed in Quebec time, as an aware moment."""
    return timezone.make_aware(datetime.datetime.combine(day, clock))


def local_parts(moment: datetime.datetime | None) -> tuple[Any, Any]:
    if moment is None:
        return None, None
    local = timezone.localtime(moment)
    return local.date(), local.time().replace(second=0, microsecond=0)


def mark_languages(form: forms.BaseForm) -> None:
    """``lang`` on each French and English box, so a screen reader reads what is typed in
    its language (WCAG 3.1.2)."""
    for name, field in form.fields.items():
        for language in ("fr", "en"):
            if name.endswith(f"_{language}"):
                field.widget.attrs["lang"] = language


class OfferingForm(forms.ModelForm):
    starts_on = DateField(label=_("Starts on"))
    ends_on = DateField(label=_("Ends on"))
    opens_on = DateField(label=_("Registration opens on"))
    opens_time = time_field(_("Registration opens at (time)"))
    closes_on = DateField(label=_("Registration closes on"))
    closes_time = time_field(_("Registration closes at (time)"))
    deadline_on = DateField(label=_("Changes and cancellations online until"))
    deadline_time = time_field(_("Changes and cancellations online until (time)"))
    residents_on = DateField(
        label=_("Residents only until"),
        required=False,
        help_text=_("Leave empty unless residents register first."),
    )
    residents_time = time_field(_("Residents only until (time)"), required=False)

    class Meta:
        model = Offering
        fields = [
            "kind",
            *[f"{text}_{language}" for text in TEXTS for language in ("fr", "en")],
            "slug",
            "code",
            "starts_on",
            "ends_on",
            "hours",
            "capacity",
            "member_price",
            "non_member_price",
            "tax_exempt",
            "childcare_eligible",
            "refund_policy",
            "cancellation_fee",
            "hold_minutes",
            "offer_hours",
            "min_age",
            "max_age",
            "members_only",
            "residents_only",
            "one_per_person",
            "household_cap",
            "published",
        ]
        widgets = {
            "description_fr": forms.Textarea(attrs={"rows": 6}),
            "description_en": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _(
            "The page's address in the catalog; made from the French title when left empty."
        )
        self.fields["title_fr"].required = True
        mark_languages(self)
        for date_name, time_name, moment, _required in MOMENTS:
            day, clock = local_parts(getattr(self.instance, moment))
            self.initial.setdefault(date_name, day)
            self.initial.setdefault(time_name, clock)

    def pairs(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        """The French and English fields of each text, for the template."""
        return [(self[f"{text}_fr"], self[f"{text}_en"]) for text in TEXTS]

    def clean_slug(self) -> str:
        return str(self.cleaned_data.get("slug") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for date_name, time_name, moment, required in MOMENTS:
            day, clock = data.get(date_name), data.get(time_name)
            if day and clock:
                setattr(self.instance, moment, combine(day, clock))
            elif day and not clock and time_name not in self.errors:
                self.add_error(time_name, _("Enter the time too."))
            elif clock and not day and date_name not in self.errors:
                self.add_error(date_name, _("Enter the date too."))
            elif not required:
                setattr(self.instance, moment, None)
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The end date must come after the start date."))
        opens, closes = self.instance.registration_opens_at, self.instance.registration_closes_at
        if opens and closes and not self.has_error("closes_on") and closes <= opens:
            self.add_error("closes_on", _("Registration must close after it opens."))
        capacity = data.get("capacity")
        if capacity is not None and capacity < self.instance.spots_taken:
            self.add_error(
                "capacity",
                _("%(taken)s spots are already taken: the capacity cannot be lower.")
                % {"taken": self.instance.spots_taken},
            )
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and high < low:
            self.add_error("max_age", _("The maximum age must be at least the minimum age."))
        if not data.get("slug") and data.get("title_fr"):
            data["slug"] = free_slug(data["title_fr"])
            self.instance.slug = data["slug"]
        return data


class SessionForm(forms.ModelForm):
    day = DateField(label=_("Date"))
    start = time_field(_("Starts at (time)"))
    end = time_field(_("Ends at (time)"))

    class Meta:
        model = Session
        fields = ["place_fr", "place_en"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            day, start = local_parts(self.instance.starts_at)
            self.initial.setdefault("day", day)
            self.initial.setdefault("start", start)
            self.initial.setdefault("end", local_parts(self.instance.ends_at)[1])
        self.order_fields(["day", "start", "end", "place_fr", "place_en"])
        mark_languages(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        day, start, end = data.get("day"), data.get("start"), data.get("end")
        if day and start and end:
            if end <= start:
                self.add_error("end", _("The session must end after it starts."))
            else:
                self.instance.starts_at = combine(day, start)
                self.instance.ends_at = combine(day, end)
        return data


class OptionForm(forms.ModelForm):
    class Meta:
        model = Option
        fields = [
            "kind",
            "name_fr",
            "name_en",
            "price",
            "capacity",
            "max_per_registration",
            "card_only",
            "position",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name_fr"].required = True
        mark_languages(self)


class LinesField(forms.CharField):
    """A list of texts typed one per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value)
        return [line.strip() for line in str(text).splitlines() if line.strip()]

    def has_changed(self, initial: Any, data: Any) -> bool:
        """An empty box is no change from an empty list (a new question left blank)."""
        return self.to_python(self.prepare_value(initial) or "") != self.to_python(data)


class QuestionForm(forms.ModelForm):
    choices_fr = LinesField(
        label=_("Choices (French)"),
        required=False,
        help_text=_("For a choice question: one choice per line."),
    )
    choices_en = LinesField(
        label=_("Choices (English)"),
        required=False,
        help_text=_("The same choices in the same order."),
    )

    class Meta:
        model = Question
        fields = [
            "label_fr",
            "label_en",
            "kind",
            "choices_fr",
            "choices_en",
            "required",
            "position",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["label_fr"].required = True
        mark_languages(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == "choice" and not data.get("choices_fr"):
            self.add_error("choices_fr", _("A choice question needs its choices."))
        return data


SessionFormSet = inlineformset_factory(
    Offering, Session, form=SessionForm, extra=1, can_delete=True
)
OptionFormSet = inlineformset_factory(Offering, Option, form=OptionForm, extra=1, can_delete=True)
QuestionFormSet = inlineformset_factory(
    Offering, Question, form=QuestionForm, extra=1, can_delete=True
)


class ListFilterForm(forms.Form):
    """The list's filters: a season and a kind (a GET form, without JavaScript)."""

    season = forms.ChoiceField(label=_("Season"), required=False)
    kind = forms.ChoiceField(
        label=pgettext_lazy("offering", "Type"),
        required=False,
        choices=[("", _("All types")), *OfferingKind.choices],
    )

    def __init__(self, *args: Any, seasons: list[Season], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["season"].choices = [(s.key, s.label) for s in seasons]


def season_choices(seasons: list[Season]) -> list[tuple[str, str]]:
    return [(s.key, s.label) for s in seasons]


class CopySeasonForm(forms.Form):
    """« Dupliquer la saison »: from one season to another (the next one by default)."""

    source = forms.ChoiceField(label=_("Season to copy"))
    target = forms.ChoiceField(label=_("Copy to"))

    def __init__(self, *args: Any, sources: list[Season], targets: list[Season], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = season_choices(sources)
        self.fields["target"].choices = season_choices(targets)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        source = Season.from_key(data.get("source") or "")
        target = Season.from_key(data.get("target") or "")
        if source and target and target <= source:
            self.add_error("target", _("Choose a season after the one copied."))
        data["source_season"], data["target_season"] = source, target
        return data

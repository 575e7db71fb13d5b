"""The catalog's search form: a GET form that works without JavaScript."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.catalog.models import Offering, OfferingKind, OfferingQuerySet
from guichet.core.forms import DateField


class CatalogFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("All types")), *OfferingKind.choices],
    )
    starts_after = DateField(label=_("On or after"), required=False)
    ends_before = DateField(label=_("On or before"), required=False)
    age = forms.IntegerField(
        label=_("Age"),
        required=False,
        min_value=0,
        max_value=120,
        help_text=_("Only offerings open to this age."),
    )
    place = forms.ChoiceField(label=_("Place"), required=False)
    free_only = forms.BooleanField(label=_("Free spots only"), required=False)

    def __init__(self, *args: object, places: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [("", _("All places"))] + [(p, p) for p in places]

    def clean(self) -> dict[str, object]:
        data = super().clean()
        start, end = data.get("starts_after"), data.get("ends_before")
        if start and end and end < start:
            self.add_error("ends_before", _("The end date must come after the start date."))
        return data

    def filter(self, offerings: OfferingQuerySet) -> OfferingQuerySet:
        """The offerings matching what was asked; invalid fields are simply not applied."""
        data = self.cleaned_data if self.is_bound else {}
        if self.is_bound and self.errors:
            data = {k: v for k, v in data.items() if k not in self.errors}
        if text := (data.get("q") or "").strip():
            # Both languages' columns (a bare ``title`` would read the page's language only).
            offerings = offerings.filter(
                Q(title_fr__icontains=text)
                | Q(title_en__icontains=text)
                | Q(summary_fr__icontains=text)
                | Q(summary_en__icontains=text)
                | Q(description_fr__icontains=text)
                | Q(description_en__icontains=text)
            )
        if kind := data.get("kind"):
            offerings = offerings.filter(kind=kind)
        if start := data.get("starts_after"):
            offerings = offerings.filter(ends_on__gte=start)
        if end := data.get("ends_before"):
            offerings = offerings.filter(starts_on__lte=end)
        if (age := data.get("age")) is not None:
            offerings = offerings.filter(
                Q(min_age__isnull=True) | Q(min_age__lte=age),
                Q(max_age__isnull=True) | Q(max_age__gte=age),
            )
        if place := data.get("place"):
            offerings = offerings.filter(Q(place_fr=place) | Q(place_en=place))
        if data.get("free_only"):
            offerings = offerings.with_free_spots()
        return offerings


def catalog_offerings() -> OfferingQuerySet:
    """Published offerings not over yet, soonest first."""
    today = timezone.localdate()
    return Offering.objects.published().filter(ends_on__gte=today).order_by("starts_on", "title")


def catalog_places() -> list[str]:
    places = catalog_offerings().exclude(place="").order_by("place")
    return list(places.values_list("place", flat=True).distinct())


class RegisterHereForm(forms.Form):
    """Registering from the offering's page in one POST, when there is nothing to ask
    (no questions, no options): who, and the idempotency key a double click posts twice.
    The registrations app validates it with this same form (it posts to its start page)."""

    step = forms.CharField(widget=forms.HiddenInput, initial="here")
    key = forms.UUIDField(widget=forms.HiddenInput)
    participants = forms.TypedMultipleChoiceField(
        label=_("Who are you registering?"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one person.")},
    )

    def __init__(self, *args: object, choices: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participants"].choices = choices
        if len(choices) == 1:  # one person: already ticked
            self.fields["participants"].initial = [choices[0][0]]

"""Privacy's forms: the closure confirmation and the incident register's entry."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.core.forms import DateField
from guichet.privacy.models import Incident
from guichet.privacy.services.staff_views import Search


class ClosureForm(forms.Form):
    understood = forms.BooleanField(
        label=_(
            "I understand that closing my account cannot be undone: I will no longer be "
            "able to sign in, and my information will be anonymized, except what the law "
            "requires to be kept."
        ),
        error_messages={"required": _("Tick the box to confirm you understand.")},
    )


class ApplyClosureForm(forms.Form):
    confirmed = forms.BooleanField(
        label=_("I checked the request: close and anonymize this account now."),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class IncidentForm(forms.ModelForm):
    occurred_on = DateField(label=_("Date or start of the incident"))
    occurred_until = DateField(label=_("End of the incident"), required=False)
    known_on = DateField(label=_("Date the organization learned of it"))
    commission_notified_on = DateField(
        label=_("Notice to the Commission d'accès à l'information sent on"), required=False
    )
    people_notified_on = DateField(
        label=_("Notice to the people concerned sent on"), required=False
    )

    class Meta:
        model = Incident
        fields = [
            "information_concerned",
            "circumstances",
            "occurred_on",
            "occurred_until",
            "known_on",
            "people_affected",
            "people_affected_estimated",
            "risk_assessment",
            "serious_injury_risk",
            "commission_notified_on",
            "people_notified_on",
            "public_notice",
            "measures",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in (
                "information_concerned",
                "circumstances",
                "risk_assessment",
                "public_notice",
                "measures",
            )
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("occurred_on"), data.get("occurred_until")
        if start and end and end < start:
            self.add_error("occurred_until", _("The end cannot come before the start."))
        if data.get("serious_injury_risk") and not data.get("commission_notified_on"):
            self.add_error(
                "commission_notified_on",
                _(
                    "A risk of serious injury must be reported promptly to the Commission "
                    "d'accès à l'information: give the date the notice was sent."
                ),
            )
        return data


class StaffViewSearchForm(forms.Form):
    """The register of staff views' search: every field optional, days both included."""

    person = forms.CharField(
        label=_("Person consulted"),
        required=False,
        max_length=150,
        help_text=_("A file number, or the person's name."),
    )
    staff = forms.CharField(
        label=_("Staff member"),
        required=False,
        max_length=254,
        help_text=_("Their name, or part of their email address."),
    )
    since = DateField(label=_("Since"), required=False)
    until = DateField(label=_("Until"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date must be on or after the start date."))
        return cleaned

    def search(self) -> Search:
        """What to look for; an invalid form looks for nothing in particular."""
        if not self.is_bound or not self.is_valid():
            return Search()
        data = self.cleaned_data
        return Search(data["person"], data["staff"], data["since"], data["until"])

"""Forms people fill in to ask staff for something, and the form staff decide with."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet import presets
from guichet.core.forms import BirthDateField
from guichet.dossiers.models import Dossier
from guichet.dossiers.validators import (
    normalize_phone,
    normalize_postal_code,
    validate_phone,
    validate_postal_code,
)


class DossierNumberRequestForm(forms.Form):
    """« Je n'ai pas de numéro de dossier »: what the operator needs to open a file."""

    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        widget=forms.TextInput({"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        widget=forms.TextInput({"autocomplete": "family-name"}),
    )
    birth_date = BirthDateField(label=_("Birth date"))
    street = forms.CharField(
        label=_("Address"),
        max_length=255,
        widget=forms.TextInput({"autocomplete": "street-address"}),
    )
    city = forms.CharField(
        label=_("City"), max_length=120, widget=forms.TextInput({"autocomplete": "address-level2"})
    )
    postal_code = forms.CharField(
        label=_("Postal code"),
        max_length=7,
        validators=[validate_postal_code],
        widget=forms.TextInput({"autocomplete": "postal-code"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=32,
        validators=[validate_phone],
        help_text=_("For example 418 555-0142"),
        widget=forms.TextInput({"autocomplete": "tel", "type": "tel"}),
    )
    email = forms.EmailField(label=_("Email"), widget=forms.EmailInput({"autocomplete": "email"}))
    family_members = forms.CharField(
        label=_("Family members to register"),
        required=False,
        max_length=2000,
        help_text=_(
            "One person a line: first name, last name and birth date (YYYY-MM-DD or DD/MM/YYYY)."
        ),
        widget=forms.Textarea({"rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not presets.active().has(presets.Feature.HOUSEHOLDS):
            del self.fields["family_members"]  # one file per person: nobody else to register

    def clean_postal_code(self) -> str:
        return normalize_postal_code(self.cleaned_data["postal_code"])

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data["phone"])

    def as_data(self) -> dict[str, str]:
        """The submitted values as JSON-ready text, as stored on the request."""
        data = dict(self.cleaned_data)
        data["birth_date"] = data["birth_date"].isoformat()
        return {key: str(value).strip() for key, value in data.items()}


class GuardianReportForm(forms.Form):
    """A guardian reports another guardian's addition to staff."""

    reason = forms.CharField(
        label=_("What should our staff know?"),
        max_length=2000,
        help_text=_(
            "For example: I do not know this person; this person has no rights over the child."
        ),
        widget=forms.Textarea({"rows": 4}),
    )


class EmailOnFileForm(forms.Form):
    """« Je n'ai plus accès au courriel de mon dossier »: how staff can reach the person
    to check who they are before linking the file."""

    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=32,
        validators=[validate_phone],
        help_text=_("Where our staff can call you to check your identity; e.g. 418 555-0142."),
        widget=forms.TextInput({"autocomplete": "tel", "type": "tel"}),
    )
    message = forms.CharField(
        label=_("Message to our staff"),
        required=False,
        max_length=2000,
        help_text=_("For example: the address on file was my former employer's."),
        widget=forms.Textarea({"rows": 3}),
    )

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"]
        return normalize_phone(phone) if phone else ""


class DossierChangeForm(forms.Form):
    """A change to the locked fields of a dossier (names, birth date), with a reason."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    birth_date = BirthDateField(label=_("Birth date"))
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=2000,
        help_text=_("For example: name changed by marriage, typing error in the birth date."),
        widget=forms.Textarea({"rows": 3}),
    )

    def __init__(self, *args: Any, dossier: Dossier, **kwargs: Any) -> None:
        self.dossier = dossier
        kwargs.setdefault("initial", dossier_values(dossier))
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and self.after() == dossier_values(self.dossier, as_text=True):
            raise forms.ValidationError(
                _("Nothing was changed: correct the first name, last name or birth date.")
            )
        return cleaned

    def after(self) -> dict[str, str]:
        birth_date = self.cleaned_data.get("birth_date")
        return {
            "first_name": self.cleaned_data.get("first_name", "").strip(),
            "last_name": self.cleaned_data.get("last_name", "").strip(),
            "birth_date": birth_date.isoformat() if birth_date else "",
        }


def dossier_values(dossier: Dossier, *, as_text: bool = False) -> dict[str, Any]:
    """The locked fields of a dossier, as form initial values or as stored text."""
    birth_date = dossier.birth_date
    if as_text:
        birth_date = birth_date.isoformat() if birth_date else ""
    return {
        "first_name": dossier.first_name,
        "last_name": dossier.last_name,
        "birth_date": birth_date,
    }


class DecisionForm(forms.Form):
    """Staff approve or refuse; a refusal needs a reason, which is sent to the person."""

    APPROVE = "approve"
    REFUSE = "refuse"

    decision = forms.ChoiceField(
        choices=[(APPROVE, _("Approve")), (REFUSE, _("Refuse"))], widget=forms.HiddenInput
    )
    reason = forms.CharField(
        label=_("Reason (sent to the person when you refuse)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea({"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == self.REFUSE and not cleaned.get("reason", "").strip():
            self.add_error(
                "reason", _("Give the reason for the refusal: it is sent to the person.")
            )
        return cleaned

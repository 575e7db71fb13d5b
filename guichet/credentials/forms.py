from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.credentials.models import CODE_ALPHABET, CODE_LENGTH, QuebecRegion


def normalized_code(value: str) -> str:
    """The code as stored: upper case, without the dashes and spaces people type; the
    letters Crockford's alphabet leaves out read as the digits they look like."""
    cleaned = value.upper().replace("-", "").replace(" ", "")
    return cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))


def plausible_code(code: str) -> bool:
    return len(code) == CODE_LENGTH and all(c in CODE_ALPHABET for c in code)


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("Printed on the attestation, under its QR code."),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the revocation"),
        max_length=1000,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("Kept in the audit trail; the verification page only says it is revoked."),
    )


class ReissueForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (if the attestation is still valid)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea({"rows": 2}),
    )


class StaffSearchForm(forms.Form):
    q = forms.CharField(label=_("Code, file number or name"), max_length=100, required=False)


class DirectorySearchForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    region = forms.ChoiceField(
        label=_("Region"),
        choices=[("", _("All regions")), *QuebecRegion.choices],
        required=False,
    )
    expertise = forms.CharField(label=_("Expertise"), max_length=100, required=False)


class ListingForm(forms.Form):
    """« Ma présence au répertoire »: appear or not, and what to show beside one's name."""

    listed = forms.BooleanField(
        label=_("Show my profile in the members directory"),
        required=False,
        help_text=_("Off by default: only members see the directory."),
    )
    region = forms.ChoiceField(
        label=_("My region"),
        choices=[("", _("Not shown")), *QuebecRegion.choices],
        required=False,
    )
    show_employer = forms.BooleanField(label=_("My employer"), required=False)
    show_expertise = forms.BooleanField(label=_("My exceptional expertise"), required=False)
    show_professional_orders = forms.BooleanField(
        label=_("My professional orders and associations"), required=False
    )
    show_linkedin = forms.BooleanField(label=_("My LinkedIn profile link"), required=False)

    def choices(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields if name != "listed"}

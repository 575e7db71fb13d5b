"""Forms for « Activez votre dossier », « Ma famille » and « Identifiant oublié ? »."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from guichet import presets
from guichet.accounts.captcha import AltchaField
from guichet.core.forms import BirthDateField
from guichet.dossiers.validators import validate_postal_code


class DossierNumberField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("File number"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "help_text", _("It appears on your former invoices and on letters we sent you.")
        )
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric"}))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        number = super().clean(value).replace(" ", "")
        if not re.fullmatch(presets.active().dossier_number_pattern, number):
            raise ValidationError(
                _("A file number has only digits, e.g. %(example)s."),
                code="invalid",
                params={"example": presets.active().dossier_number_example},
            )
        return number


class NumberAndBirthDateForm(forms.Form):
    number = DossierNumberField()
    birth_date = BirthDateField()


class MemberNumberAndBirthDateForm(NumberAndBirthDateForm):
    """« Ajouter un membre de la famille »: the member's own number and birth date."""

    number = DossierNumberField(help_text=_("The file number of the family member."))
    birth_date = BirthDateField(help_text=_("The family member's birth date."))


class GuardianDecisionForm(forms.Form):
    """An existing guardian's answer to a request to become the child's guardian too."""

    ACCEPT = "accept"
    REFUSE = "refuse"

    decision = forms.ChoiceField(
        choices=[(ACCEPT, _("Accept")), (REFUSE, _("Refuse"))], widget=forms.HiddenInput
    )


class MemberIdentityForm(forms.Form):
    number = forms.CharField(
        label=_("Member number"),
        max_length=5,
        help_text=_("Five digits, e.g. 00875."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    last_name = forms.CharField(
        label=_("Family name"),
        max_length=150,
        help_text=_("Your full last name."),
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    birth_date = BirthDateField()
    postal_code = forms.CharField(
        label=_("Postal code"),
        max_length=7,
        validators=[validate_postal_code],
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )

    def clean_number(self) -> str:
        number = self.cleaned_data["number"].strip()
        if not re.fullmatch(r"\d{5}", number):
            raise ValidationError(_("A member number has five digits, e.g. 00875."))
        return number


class LegacyCredentialsForm(forms.Form):
    username = forms.CharField(
        label=_("Username of the former online services"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    password = forms.CharField(
        label=_("Password of the former online services"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )


class LinkingCodeForm(forms.Form):
    number = DossierNumberField()
    code = forms.CharField(
        label=_("Linking code"),
        max_length=40,
        help_text=_("The code in the email we sent you, e.g. ABCD-EFGH-JKLM-NPQR."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )


class ConfirmationCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Confirmation code"),
        max_length=12,
        help_text=_("The six digits in the email."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not re.fullmatch(r"\d{6}", code):
            raise ValidationError(_("The code has six digits."))
        return code


class LoginIdReminderForm(NumberAndBirthDateForm):
    captcha = AltchaField()


class IssueCodeForm(forms.Form):
    number = forms.CharField(label=_("File number"), max_length=20)

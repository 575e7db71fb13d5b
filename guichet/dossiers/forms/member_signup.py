"""CAOMSC's « Première visite ? Créer votre accès »: identify, then email and password."""

from __future__ import annotations

from typing import Any

from allauth.account import forms as allauth_forms
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from guichet.accounts import forms as account_forms
from guichet.accounts.captcha import AltchaField
from guichet.dossiers.forms.linking import MemberIdentityForm


class IdentifyForm(MemberIdentityForm):
    """« Inscrivez-vous »: matricule, nom de famille, date de naissance, code postal."""

    captcha = AltchaField()


class AccountForm(allauth_forms.SignupForm):
    """The second step: the email typed twice, the password twice, the terms."""

    email2 = forms.EmailField(
        label=_("Confirm your email"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    accept_terms = account_forms.SignupForm.base_fields["accept_terms"]

    field_order = ["email", "email2", "password1", "password2", "accept_terms"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Email")
        self.fields["email"].widget.attrs.pop("placeholder", None)
        self.fields["password1"].label = _("Password")
        self.fields["password1"].help_text = account_forms.policy_text()
        self.fields["password2"].label = _("Confirm password")
        for name in ("password1", "password2"):
            self.fields[name].widget.attrs.pop("placeholder", None)
        self.order_fields(self.field_order)

    def clean_email2(self) -> str:
        return self.cleaned_data["email2"].strip().lower()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        email, email2 = cleaned.get("email"), cleaned.get("email2")
        if email and email2 and email.lower() != email2:
            self.add_error(
                "email2",
                ValidationError(_("The two email addresses are not the same."), code="mismatch"),
            )
        return cleaned

"""The guides' account forms on top of allauth's."""

from __future__ import annotations

from typing import Any

from allauth.account import forms as allauth_forms
from django import forms
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guichet import presets
from guichet.accounts.captcha import AltchaField
from guichet.accounts.models import Account
from guichet.accounts.passwords import describe


def _policy_text() -> str:
    return describe(presets.active().password_policy)


policy_text = lazy(_policy_text, str)


def _terms_label() -> str:
    sentence = presets.active().guide_words.accept_terms or _(
        'I have read and accept the <a href="%(url)s">terms of use</a>'
    )
    return format_html(str(sentence).replace("%(url)s", "{}"), reverse("core:terms"))


class SignupForm(allauth_forms.SignupForm):
    """« Créer un compte » : Prénom, Nom, Courriel, Mot de passe (twice), conditions."""

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
    accept_terms = forms.BooleanField(
        label=lazy(_terms_label, str)(),
        error_messages={"required": _("You must accept the terms of use to create an account.")},
    )
    captcha = AltchaField()

    field_order = ["first_name", "last_name", "email", "password1", "password2", "accept_terms"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Email")
        self.fields["email"].widget.attrs.pop("placeholder", None)
        self.fields["password1"].label = _("Password")
        self.fields["password1"].help_text = policy_text()
        self.fields["password2"].label = _("Confirm password")
        for name in ("password1", "password2"):
            self.fields[name].widget.attrs.pop("placeholder", None)
        self.order_fields([*self.field_order, "captcha"])

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean()
        password = cleaned_data.get("password1")
        if password and "password1" not in self.errors:
            # allauth checks the password against an account holding only the email; the
            # names typed on this form count too (a password made of one's name is refused).
            person = Account(
                email=cleaned_data.get("email") or "",
                first_name=cleaned_data.get("first_name") or "",
                last_name=cleaned_data.get("last_name") or "",
            )
            try:
                validate_password(password, person)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned_data

    def try_save(self, request: HttpRequest) -> tuple[Any, Any]:
        if self.account_already_exists:
            # No account is created for a taken address, so nothing would hash the
            # password: that path answered ten times faster and told that the address
            # has an account. Hash it all the same (and throw it away) so both cost alike.
            make_password(self.cleaned_data["password1"])
        return super().try_save(request)


class SignupFirstScreenForm(forms.Form):
    """« Création du compte », first screen (CCQ): the address and the password, checked
    as ``SignupForm`` checks them; the names come on the second screen, where
    ``SignupForm`` checks everything again before the account exists."""

    email = forms.EmailField(
        label=_("Email address"), widget=forms.EmailInput({"autocomplete": "email"})
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=policy_text(),
        widget=forms.PasswordInput({"autocomplete": "new-password"}, render_value=True),
    )
    password2 = forms.CharField(
        label=pgettext_lazy("sign-up", "Confirm password"),
        strip=False,
        widget=forms.PasswordInput({"autocomplete": "new-password"}, render_value=True),
    )

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean()
        email, password = cleaned_data.get("email") or "", cleaned_data.get("password1")
        if password and cleaned_data.get("password2") not in (None, password):
            self.add_error("password2", _("You must type the same password each time."))
        if password:
            try:
                validate_password(password, Account(email=email))
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned_data


class LoginForm(allauth_forms.LoginForm):
    """« Connexion » : Courriel, Mot de passe, Se souvenir de moi."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        words = presets.active().guide_words
        self.fields["login"].label = words.login_label or _("Email")
        self.fields["login"].help_text = words.login_help or ""
        self.fields["login"].widget.attrs.pop("placeholder", None)
        self.fields["password"].label = _("Password")
        self.fields["password"].help_text = ""
        self.fields["password"].widget.attrs.pop("placeholder", None)
        if "remember" in self.fields:
            self.fields["remember"].label = _("Remember me")


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    captcha = AltchaField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Email")
        self.fields["email"].widget.attrs.pop("placeholder", None)


class ResendConfirmationForm(forms.Form):
    email = forms.EmailField(label=_("Email"), widget=forms.EmailInput({"autocomplete": "email"}))


class ChangePasswordForm(allauth_forms.ChangePasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["oldpassword"].label = _("Current password")
        self.fields["password1"].label = _("New password")
        self.fields["password1"].help_text = policy_text()
        self.fields["password2"].label = _("Confirm the new password")
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)


class ResetPasswordKeyForm(allauth_forms.ResetPasswordKeyForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password1"].label = _("New password")
        self.fields["password1"].help_text = policy_text()
        self.fields["password2"].label = _("Confirm the new password")
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)


class SetPasswordForm(allauth_forms.SetPasswordForm):
    """For an account that has no password yet (created by staff or an import)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password1"].label = _("Password")
        self.fields["password1"].help_text = policy_text()
        self.fields["password2"].label = _("Confirm password")
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)


class ChangeEmailForm(allauth_forms.AddEmailForm):
    """« Afficher ou modifier votre adresse courriel »: the new address typed twice, as
    the CAOMSC guide asks, so a typo does not send the confirmation link astray."""

    email2 = forms.EmailField(
        label=_("Confirm the new email address"),
        widget=forms.EmailInput({"autocomplete": "email"}),
    )

    field_order = ["email", "email2"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("New email address")
        self.fields["email"].widget.attrs.pop("placeholder", None)
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean()
        email, again = cleaned_data.get("email"), cleaned_data.get("email2")
        if email and again and email.lower() != again.lower():
            self.add_error(
                "email2",
                _("The two addresses differ: type the same new email address in both fields."),
            )
        return cleaned_data

"""« Créer un compte »: allauth's sign-up, in two screens where the preset says so."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from allauth.account import views as allauth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from guichet import presets
from guichet.accounts.forms import SignupFirstScreenForm
from guichet.core import crypto

SESSION_KEY = "accounts.signup"
FIRST_SCREEN = ("email", "password1", "password2")
SECOND_SCREEN = ("first_name", "last_name", "accept_terms", "captcha")
NAMES = ("first_name", "last_name")


class SignupView(allauth_views.SignupView):
    """Where ``Preset.signup_in_two_screens`` (CCQ « Création du compte »): the address and
    the password first, then the names and the terms.

    What the first screen holds waits in the session, the password encrypted with the key
    ring, until the second screen sends allauth's own ``SignupForm`` with everything: the
    checks, the account and the confirmation email are allauth's, as with one screen.
    « Précédent », or an error the full form finds in the first screen's fields (a password
    made of one's name), shows the first screen again, filled in; the names typed on the
    second are kept for when the person comes back to it.
    """

    def two_screens(self) -> bool:
        return presets.active().signup_in_two_screens

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.two_screens():
            return super().get(request, *args, **kwargs)
        kept = self.kept()
        if request.GET.get("ecran") == "2" and kept.get("password"):
            names = {name: kept.get(name, "") for name in NAMES}
            return self.second_screen(self.get_form_class()(initial=names))
        password = self.kept_password()
        first = {"email": kept.get("email", ""), "password1": password, "password2": password}
        return self.first_screen(SignupFirstScreenForm(initial=first))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.two_screens():
            return super().post(request, *args, **kwargs)
        if request.POST.get("screen") == "1":
            first = SignupFirstScreenForm(request.POST)
            if not first.is_valid():
                return self.first_screen(first)
            self.keep(
                email=first.cleaned_data["email"],
                password=crypto.encrypt(first.cleaned_data["password1"]),
            )
            return redirect(self.screen_url(2))
        if not self.kept().get("password"):
            return redirect(self.screen_url(1))
        self.keep(**{name: request.POST.get(name, "")[:150] for name in NAMES})
        if request.POST.get("back"):
            return redirect(self.screen_url(1))
        form = self.get_form()
        if form.is_valid():
            request.session.pop(SESSION_KEY, None)
            return self.form_valid(form)
        if any(name in form.errors for name in FIRST_SCREEN):
            return self.first_screen(self.first_screen_with_errors_of(form))
        return self.second_screen(form)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        if self.two_screens() and "data" in kwargs:
            data = kwargs["data"].copy()
            data["email"] = self.kept().get("email", "")
            data["password1"] = data["password2"] = self.kept_password()
            kwargs["data"] = data
        return kwargs

    def get_template_names(self) -> list[str]:
        if self.two_screens():
            return ["account/signup_two_screens.html"]
        return super().get_template_names()

    def first_screen(self, form: Any) -> HttpResponse:
        context = self.get_context_data(form=form, screen=1, screen_fields=FIRST_SCREEN)
        return self.render_to_response(context)

    def second_screen(self, form: Any) -> HttpResponse:
        context = self.get_context_data(form=form, screen=2, screen_fields=SECOND_SCREEN)
        return self.render_to_response(context)

    def first_screen_with_errors_of(self, form: Any) -> SignupFirstScreenForm:
        password = self.kept_password()
        first = SignupFirstScreenForm(
            {"email": self.kept().get("email", ""), "password1": password, "password2": password}
        )
        first.is_valid()
        for name in FIRST_SCREEN:
            if name not in first.errors:
                for error in form.errors.get(name, ()):
                    first.add_error(name, error)
        return first

    def screen_url(self, screen: int) -> str:
        query = {"ecran": str(screen)}
        next_url = self.request.POST.get("next") or self.request.GET.get("next")
        if next_url:
            query["next"] = next_url
        return f"{reverse('account_signup')}?{urlencode(query)}"

    def kept(self) -> dict[str, str]:
        return dict(self.request.session.get(SESSION_KEY, {}))

    def keep(self, **values: str) -> None:
        self.request.session[SESSION_KEY] = {**self.kept(), **values}

    def kept_password(self) -> str:
        encrypted = self.kept().get("password")
        if not encrypted:
            return ""
        try:
            return crypto.decrypt(encrypted)
        except crypto.InvalidToken:  # the key ring turned since: type it again
            return ""

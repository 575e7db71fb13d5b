from __future__ import annotations

from typing import Any

from allauth.account import app_settings as allauth_settings
from allauth.account.internal.flows.email_verification import (
    send_verification_email_to_address,
)
from allauth.account.models import EmailAddress
from allauth.account.views import ConfirmEmailView as AllauthConfirmEmailView
from allauth.core import ratelimit
from allauth.core.internal.ratelimit import respond_429
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_POST
from django.views.generic import FormView
from django.views.i18n import set_language as django_set_language

from guichet import presets
from guichet.accounts.forms import ChangePasswordForm, ResendConfirmationForm
from guichet.accounts.services import set_preferred_language
from guichet.accounts.types import SignedInRequest
from guichet.audit.models import AuditEvent


def admin_login(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """The Django admin signs staff in through the portal's login (limits, lockout, 2FA)."""
    next_url = request.GET.get("next") or reverse("admin:index")
    if request.user.is_authenticated and not request.user.is_staff:
        return redirect("core:home")
    return redirect_to_login(next_url, reverse("account_login"))


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The language link (/langue/). A visitor's choice is kept in the cookie (Django's
    switch); a signed-in person's is saved on the account, which the pages
    (``core.middleware.LanguageMiddleware``), the emails and the documents issued afterwards
    all follow."""
    response = django_set_language(request)
    if request.user.is_authenticated:
        set_preferred_language(request.user, request.POST.get("language", ""))
    return response


class ConfirmEmailView(AllauthConfirmEmailView):
    """Says why a link no longer works: already used, expired, or not a link of ours."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if not self.object:
            context.update(self.link_problem())
        return context

    def link_problem(self) -> dict[str, Any]:
        try:
            pk = signing.loads(self.kwargs["key"], salt=allauth_settings.SALT, max_age=None)
        except signing.BadSignature:
            return {"problem": "invalid"}
        address = EmailAddress.objects.filter(pk=pk).first()
        if address is None:
            return {"problem": "invalid"}
        if address.verified:
            return {"problem": "used"}
        return {
            "problem": "expired",
            "resend_form": ResendConfirmationForm(initial={"email": address.email}),
        }


class ResendConfirmationView(FormView):
    """Sends a new confirmation link. Answers the same whether the address is known."""

    template_name = "accounts/resend_confirmation.html"
    form_class = ResendConfirmationForm
    success_url = reverse_lazy("account_email_verification_sent")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not ratelimit.consume(request, action="resend_confirmation"):
            return respond_429(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: ResendConfirmationForm) -> HttpResponse:
        address = (
            EmailAddress.objects.filter(email__iexact=form.cleaned_data["email"], verified=False)
            .select_related("user")
            .first()
        )
        if address is not None:
            send_verification_email_to_address(self.request, address)
        return super().form_valid(form)


@login_required
def security(request: SignedInRequest) -> HttpResponse:
    authenticators = Authenticator.objects.filter(user=request.user)
    context = {
        "has_totp": any(a.type == Authenticator.Type.TOTP for a in authenticators),
        "passkeys": sum(a.type == Authenticator.Type.WEBAUTHN for a in authenticators),
        "has_recovery_codes": any(
            a.type == Authenticator.Type.RECOVERY_CODES for a in authenticators
        ),
        "session_count": UserSession.objects.filter(user=request.user).count(),
    }
    if presets.active().guide_words.change_password and request.user.has_usable_password():
        # COMAQ's « Mon mot de passe » is the form itself (guide 000).
        context["password_form"] = ChangePasswordForm(user=request.user)
    return render(request, "accounts/security.html", context)


@login_required
def activity(request: SignedInRequest) -> HttpResponse:
    events = AuditEvent.objects.concerning(request.user).select_related("actor", "subject")
    page = Paginator(events, 25).get_page(request.GET.get("page"))
    return render(request, "accounts/activity.html", {"page": page})

"""CAOMSC's own sign-up path, « Première visite ? Créer votre accès », in two steps.

Step 1 (« Inscrivez-vous ») identifies the member's dossier; the dossier is then kept in
the session, signed and for 30 minutes, never in the page. Step 2 creates the account
(see ``services.member_signup`` for when the link is made).
"""

from __future__ import annotations

from allauth.core import ratelimit
from allauth.core.internal.ratelimit import respond_429
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from guichet import presets
from guichet.dossiers.forms.member_signup import AccountForm, IdentifyForm
from guichet.dossiers.services import linking, member_signup
from guichet.dossiers.services.linking import Status
from guichet.dossiers.views.linking import refusal_message
from guichet.presets import LinkingMethod


def _require_method() -> None:
    if not presets.active().allows_linking(LinkingMethod.MEMBER_IDENTITY):
        raise Http404


def _signed_in_elsewhere(request: HttpRequest) -> HttpResponse | None:
    """A signed-in person links from « Activez votre dossier », not from here."""
    if request.user.is_authenticated:
        return redirect("dossiers:link_member")
    return None


@never_cache
def identify(request: HttpRequest) -> HttpResponse:
    _require_method()
    if response := _signed_in_elsewhere(request):
        return response
    form = IdentifyForm(request.POST or None)
    if request.method == "POST":
        member_signup.forget(request.session)  # a new attempt drops an earlier identification
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "captcha"}
        result = member_signup.identify(request=request, **data)
        if result.dossier is not None:
            member_signup.remember(request.session, result.dossier)
            return redirect("dossiers:member_signup_account")
        if result.refusal.status == Status.ACCOUNT_THROTTLED:
            form.add_error(None, _("Too many failed attempts. Try again in an hour."))
        else:
            form.add_error(None, refusal_message(result.refusal))
    return render(request, "dossiers/member_signup/identify.html", {"form": form})


@never_cache
@sensitive_post_parameters("password1", "password2")
def account(request: HttpRequest) -> HttpResponse:
    _require_method()
    if response := _signed_in_elsewhere(request):
        return response
    dossier = member_signup.remembered(request.session)
    if dossier is None:
        messages.info(request, _("Your identification has expired. Start again."))
        return redirect("dossiers:member_signup")
    if request.method == "POST" and not ratelimit.consume(request, action="signup"):
        return respond_429(request)  # allauth's own limit on creating accounts
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = member_signup.create_account(form=form, dossier=dossier, request=request)
        if result.response is not None:
            # The same page whether the address was new or not (allauth's rule), so
            # whether a code goes to the address on file depends on the dossier only.
            member_signup.forget(request.session)
            needs_code = presets.active().linking_requires_confirmation and bool(dossier.email)
            context = {"code_sent_to": linking.mask_email(dossier.email) if needs_code else ""}
            return render(request, "dossiers/member_signup/done.html", context)
        member_signup.forget(request.session)
        messages.error(request, refusal_message(result.outcome))
        return redirect("dossiers:member_signup")
    return render(
        request, "dossiers/member_signup/account.html", {"form": form, "dossier": dossier}
    )

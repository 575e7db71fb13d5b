"""The public verification page, ``/verifier/<code>/``: it confirms an attestation (name,
what, date, status) and shows nothing else. An unknown code gets the same neutral 404 as
any missing page. Lookups are rate-limited per address: codes carry 100 bits, so guessing
is hopeless anyway; the limit keeps scrapers off."""

from __future__ import annotations

from allauth.core.internal import ratelimit
from allauth.core.internal.ratelimit import respond_429
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from guichet.credentials.forms import VerifyForm, normalized_code, plausible_code
from guichet.credentials.models import Attestation

RATES = {"verify_attestation": "30/m/ip,300/h/ip"}


def _private(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def verify_form(request: HttpRequest) -> HttpResponse:
    """« Vérifier une attestation »: type the code printed on it."""
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        return redirect("credentials:verify", code=normalized_code(form.cleaned_data["code"]))
    return _private(render(request, "credentials/verify_form.html", {"form": form}))


@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    usage = ratelimit.consume(
        request,
        app="guichet.credentials",
        action="verify_attestation",
        config=RATES,
        limit_get=True,
    )
    if not usage:
        return respond_429(request)
    code = normalized_code(code)
    found = None
    if plausible_code(code):
        found = Attestation.objects.filter(code=code).first()
    if found is None:
        raise Http404
    return _private(render(request, "credentials/verify.html", {"attestation": found}))

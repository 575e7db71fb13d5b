"""Unsubscribing from an email's link, signed out: a page with one button, and the
one-click POST mail clients send (RFC 8058), which needs no CSRF token."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from guichet.privacy.services import unsubscribing
from guichet.privacy.services.consents import shown_name


# The mail client posts « List-Unsubscribe=One-Click » from no page of ours: no CSRF token
# exists to send. The signed link is the proof; the only effect is a withdrawal.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    found = unsubscribing.read_token(token)
    if found is None:
        raise Http404
    __, mailing_list = found
    name = shown_name(mailing_list, translation.get_language() or "fr")
    if request.method == "POST":
        unsubscribing.unsubscribe(token, request=request)
        return render(request, "privacy/unsubscribed.html", {"name": name})
    return render(request, "privacy/unsubscribe.html", {"name": name})

"""/confidentialite/: the privacy policy, public, written from what this deployment
collects, keeps and hands to processors (``privacy/policy.py``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from guichet import presets
from guichet.privacy import policy as written


@require_GET
def policy(request: HttpRequest) -> HttpResponse:
    preset = presets.active()
    return render(request, "privacy/policy.html", {"parts": written.parts(preset)})

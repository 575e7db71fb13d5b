"""The queue page shown instead of a registration page while the person waits."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from guichet.registrations.services.queue import place_in_line


def queue_gate(request: HttpRequest, openings: Iterable[datetime]) -> HttpResponse | None:
    """None when the person may go on; else the « your place in line » page."""
    now = timezone.now()
    for opening in sorted(set(openings)):
        place = place_in_line(request.user, opening, now)
        if place is not None and not place.admitted and now >= opening:
            return render(
                request,
                "registrations/queue.html",
                {"place": place, "now": now},
                status=200,
            )
    return None

"""Background work for registrations: the sweeper (run every minute by Celery beat or
by ``manage.py sweep_registrations`` from cron)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from guichet.registrations.services.waitlist import (
    expire_offers,
    expire_unpaid,
    fill_free_spots,
    release_expired_holds,
)


@shared_task
def sweep_registrations() -> dict[str, int]:
    """Free expired holds and unpaid registrations, and pass expired waiting-list offers
    to the next in line."""
    now = timezone.now()
    return {
        "holds": release_expired_holds(now),
        "offers": expire_offers(now),
        "unpaid": expire_unpaid(now),
        "filled": fill_free_spots(now),
    }
